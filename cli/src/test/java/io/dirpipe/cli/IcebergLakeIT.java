package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Mutator;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topics;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake as Iceberg tables on a real broker: the pipeline's change events into {@code
 * users_history} through {@code dirpipe sink lake} with {@code lake.format=iceberg}, and {@code
 * replay --source lake} at three times (before the changes, between the runs, after) equal to
 * {@code replay} from the change topic, object by object.
 */
@ExtendWith(KafkaExtension.class)
class IcebergLakeIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String COLLECTIONS = "users,groups,groupMembers";

  @TempDir Path dir;

  @Test
  void replayFromTheLakeEqualsReplayFromKafka(TestKafka broker) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(400).withQuota(Throttle.Quota.OFF))) {
      String prefix = "ib" + UUID.randomUUID().toString().substring(0, 6) + ".";
      Map<String, String> env =
          InProcess.pipelineEnv(sandbox, broker, prefix, dir.resolve("state"), COLLECTIONS);
      env.put("DIRPIPE_LAKE_FORMAT", "iceberg");
      env.put("DIRPIPE_LAKE_ROOT", dir.resolve("lake").toString());
      env.put("DIRPIPE_LAKE_GROUP", prefix + "lake");
      env.put("DIRPIPE_LAKE_COMMIT_INTERVAL", "100");
      env.put("DIRPIPE_KAFKA_MAX_POLL_RECORDS", "100"); // many commits: small files to compact
      env.put("DIRPIPE_SINK_COLLECTIONS", COLLECTIONS);
      // static membership: a restarted sink takes the killed one's place at once, as a Deployment's
      // replacement pod with a stable instance id would (no wait for the session timeout)
      env.put("DIRPIPE_KAFKA_GROUP_INSTANCE_ID", prefix + "lake-0");

      InProcess.extractAndTransform(env, COLLECTIONS, "full");
      InProcess.extractAndTransform(env, COLLECTIONS, "delta"); // stores the delta links
      Instant t1 = InProcess.tick();
      new Mutator(sandbox.tenant()).apply(new Mutator.Request("users", 5, 12, 4, 0, 0, 21));
      InProcess.extractAndTransform(env, COLLECTIONS, "delta");
      Instant t2 = InProcess.tick();
      new Mutator(sandbox.tenant()).apply(new Mutator.Request("users", 2, 6, 3, 0, 0, 22));
      InProcess.extractAndTransform(env, COLLECTIONS, "delta");
      Instant t3 = InProcess.tick();

      // the sink killed at five observed moments, then run to the end: every record once
      IcebergKills.killFiveTimes(dir, env, prefix);
      StringWriter out = new StringWriter();
      assertThat(InProcess.dirpipe(env, out, "sink", "lake", "--until-idle", "2s"))
          .as(out.toString())
          .isZero();
      IcebergKills.assertEveryRecordOnce(dir.resolve("lake"), broker, prefix, 400 + 5 - 4 + 2 - 3);

      Map<Instant, Set<JsonNode>> fromKafka = new java.util.LinkedHashMap<>();
      for (Instant t : new Instant[] {t1, t2, t3}) {
        fromKafka.put(t, replay(env, t, "kafka"));
        assertThat(fromKafka.get(t)).as("users at " + t + " from the topic").isNotEmpty();
      }
      assertThat(fromKafka.get(t1)).hasSize(400);
      assertThat(fromKafka.get(t3)).hasSize(400 + 5 - 4 + 2 - 3);
      Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
      Topics topics = new Topics(prefix);
      List<String> runs = CompletedRuns.of(kafka, topics).stream().map(RunEvent::getRunId).toList();
      assertThat(runs).as("completed runs").hasSizeGreaterThanOrEqualTo(4);
      var verifiedFromKafka =
          io.dirpipe.transformer.audit.RunVerifier.verifyAll(
              io.dirpipe.core.kafka.KafkaClients.of(kafka), topics, runs);
      JsonNode firstFromKafka = verify(env, runs.get(0), "kafka"); // the command, once

      // the topics' retention has passed: the raw and change topics are gone
      List<String> gone = new java.util.ArrayList<>();
      for (Collection<?> c :
          List.of(Collection.USERS, Collection.GROUPS, Collection.GROUP_MEMBERS)) {
        gone.add(topics.raw(c).name());
        if (c.isObjectCollection()) {
          gone.add(topics.changes(c).name());
        }
      }
      gone.add(topics.memberships().name());
      try (Admin admin = Admin.create(kafka)) {
        admin.deleteTopics(gone).all().get();
      }

      // the lake's upkeep: small files compacted, snapshots expired; the answers do not change
      StringWriter maintained = new StringWriter();
      env.put("DIRPIPE_LAKE_SNAPSHOT_RETENTION", "0");
      assertThat(InProcess.dirpipe(env, maintained, "lake", "maintain"))
          .as(maintained.toString())
          .isZero();
      assertThat(maintained.toString())
          .as("lake maintain's report")
          .contains("dirpipe.users_history: data files")
          .containsPattern("[1-9][0-9]* partitions rewritten");

      StringWriter tables = new StringWriter();
      assertThat(InProcess.dirpipe(env, tables, "lake", "tables")).as(tables.toString()).isZero();
      assertThat(tables.toString())
          .as("lake tables")
          .containsPattern(
              "dirpipe.users_history +[1-9][0-9]* rows +1 data files +0 delete files +\\S*metadata\\.json");

      for (Instant t : fromKafka.keySet()) {
        assertThat(replay(env, t, "lake"))
            .as("users at " + t + ": the lake's answer = the topic's before it was deleted")
            .isEqualTo(fromKafka.get(t));
      }
      assertThat(verify(env, runs.get(0), "lake"))
          .as("verify --source lake of the first run")
          .isEqualTo(firstFromKafka);
      var verifiedFromLake =
          io.dirpipe.transformer.audit.RunVerifier.verifyAll(
              LakeEvidence.of(io.dirpipe.sink.iceberg.LakeCatalog.embedded(dir.resolve("lake"))),
              runs);
      assertThat(verifiedFromLake)
          .as("every run verified from the lake as from the topics")
          .isEqualTo(verifiedFromKafka)
          .allMatch(io.dirpipe.transformer.audit.RunVerifier.Result::ok);
    }
  }

  JsonNode verify(Map<String, String> env, String run, String source) throws Exception {
    StringWriter out = new StringWriter();
    int code = InProcess.dirpipe(env, out, "verify", "--run", run, "--json", "--source", source);
    JsonNode result = JSON.readTree(out.toString());
    assertThat(code).as("verify --source %s --run %s: %s", source, run, out).isZero();
    return result;
  }

  Set<JsonNode> replay(Map<String, String> env, Instant at, String source) throws Exception {
    Path file = dir.resolve(source + "-" + at.toEpochMilli() + ".jsonl");
    return InProcess.replayUsers(env, at, file, "--source", source);
  }
}
