package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transformer state folder left by a run against another broker, or against raw topics since
 * recreated: never a partial set of events with exit 0.
 */
@ExtendWith(KafkaExtension.class)
class StaleStateIT {
  static final int USERS = 2_000;
  @TempDir Path dir;
  Map<String, String> env;

  @Test
  void stateFromAnotherBrokerIsRebuiltAndARecreatedInputTopicIsRefused(TestKafka first)
      throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF))) {
      String prefix = "stale.";
      env = new HashMap<>(PackagedDirpipe.extractorEnv(sandbox, first, prefix));
      env.put("DIRPIPE_TRANSFORM_STATE_DIR", dir.resolve("state").toString());
      env.put("DIRPIPE_TRANSFORM_APPLICATION_ID", "stale-transformer");
      env.put("DIRPIPE_TRANSFORM_COLLECTIONS", "users");
      extractAndTransform();
      assertThat(creates(first.bootstrapServers(), prefix)).hasSize(USERS);

      try (LocalKafka second = LocalKafka.start()) {
        env.put("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", second.bootstrapServers());
        StringWriter log = extractAndTransform();
        assertThat(creates(second.bootstrapServers(), prefix))
            .as("every user of the new broker's FULL run, although the state knew them all")
            .hasSize(USERS);

        try (Admin admin = second.clients().admin("test")) {
          admin
              .deleteTopics(List.of(new Topics(prefix).raw(Collection.USERS).name()))
              .all()
              .get(30, TimeUnit.SECONDS);
        }
        assertThat(dirpipe(log, "extract", "--mode", "full", "--collections", "users")).isZero();
        StringWriter refused = new StringWriter();
        assertThat(dirpipe(refused, "transform", "--until-idle", "2s"))
            .as("a transform over a recreated raw topic")
            .isNotZero();
        assertThat(refused.toString())
            .contains("was deleted and created again")
            .contains("kafka-streams-application-reset --application-id stale-transformer");
      }
    }
  }

  private StringWriter extractAndTransform() {
    StringWriter out = new StringWriter();
    assertThat(dirpipe(out, "extract", "--mode", "full", "--collections", "users"))
        .as(out.toString())
        .isZero();
    assertThat(dirpipe(out, "transform", "--until-idle", "2s")).as(out.toString()).isZero();
    return out;
  }

  private static List<Change> creates(String bootstrap, String prefix) {
    List<Change> all = new ArrayList<>();
    TopicReader.readAll(
        KafkaClients.of(Map.of("bootstrap.servers", bootstrap)),
        new Topics(prefix).changes(Collection.USERS),
        r -> {
          if (io.dirpipe.schemas.Envelope.op(r.value()) == Operation.CREATE) {
            all.add(r.value());
          }
        });
    return all;
  }

  private int dirpipe(StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    out.write(err.toString());
    return code;
  }
}
