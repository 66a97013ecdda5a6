package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Mutator;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
      env.put("DIRPIPE_LAKE_COMMIT_INTERVAL", "500");
      env.put("DIRPIPE_SINK_COLLECTIONS", "users,groups");

      InProcess.extractAndTransform(env, COLLECTIONS, "full");
      InProcess.extractAndTransform(env, COLLECTIONS, "delta"); // stores the delta links
      Instant t1 = InProcess.tick();
      new Mutator(sandbox.tenant()).apply(new Mutator.Request("users", 5, 12, 4, 0, 0, 21));
      InProcess.extractAndTransform(env, COLLECTIONS, "delta");
      Instant t2 = InProcess.tick();
      new Mutator(sandbox.tenant()).apply(new Mutator.Request("users", 2, 6, 3, 0, 0, 22));
      InProcess.extractAndTransform(env, COLLECTIONS, "delta");
      Instant t3 = InProcess.tick();

      StringWriter out = new StringWriter();
      assertThat(InProcess.dirpipe(env, out, "sink", "lake", "--until-idle", "2s"))
          .as(out.toString())
          .isZero();

      for (Instant t : new Instant[] {t1, t2, t3}) {
        Set<JsonNode> kafka = replay(env, t, "kafka");
        Set<JsonNode> lake = replay(env, t, "lake");
        assertThat(kafka).as("users at " + t + " from the topic").isNotEmpty();
        assertThat(lake).as("users at " + t + ": the lake's answer = the topic's").isEqualTo(kafka);
      }
      assertThat(replay(env, t1, "kafka")).hasSize(400);
      assertThat(replay(env, t3, "kafka")).hasSize(400 + 5 - 4 + 2 - 3);
    }
  }

  Set<JsonNode> replay(Map<String, String> env, Instant at, String source) throws Exception {
    Path file = dir.resolve(source + "-" + at.toEpochMilli() + ".jsonl");
    return InProcess.replayUsers(env, at, file, "--source", source);
  }
}
