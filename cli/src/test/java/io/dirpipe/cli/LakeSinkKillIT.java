package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.lake.LakeContents;
import io.dirpipe.sink.lake.RawUsers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dirpipe sink lake} killed with {@code kill -9} while it writes, three times, each after it
 * was seen publishing files: the lake still holds every record once. (The sink's behaviour in
 * process, crash states included: {@code LakeSinkIT} of the sink module.)
 */
@ExtendWith(KafkaExtension.class)
class LakeSinkKillIT {
  static final int RECORDS = 10_000; // 100 rolls of 100: room for three kills
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final java.time.LocalDate DAY_ONE =
      java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(3);

  @TempDir Path dir;
  Path lake;
  Map<String, String> env;
  Map<String, Object> kafka;
  Topics topics;
  Topic<ObjectKey, Observation> raw;

  @BeforeEach
  void publish(TestKafka broker) throws Exception {
    String prefix = "lk" + UUID.randomUUID().toString().substring(0, 6) + ".";
    lake = dir.resolve("lake");
    env = new HashMap<>();
    env.put("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("DIRPIPE_TOPICS_PREFIX", prefix);
    env.put("DIRPIPE_LAKE_ROOT", lake.toString());
    env.put("DIRPIPE_LAKE_DATASETS", "raw");
    env.put("DIRPIPE_SINK_COLLECTIONS", "users");
    env.put("DIRPIPE_LAKE_GROUP", prefix + "lake");
    kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    topics = new Topics(prefix);
    raw = topics.raw(Collection.USERS);
    RawUsers.publish(KafkaClients.of(kafka), raw, TENANT, RECORDS, DAY_ONE);
  }

  @Test
  void killedAtRandomMomentsTheLakeStillHoldsEveryRecordOnce() throws Exception {
    Map<String, String> slow = new HashMap<>(env);
    slow.put("DIRPIPE_KAFKA_MAX_POLL_RECORDS", "100");
    slow.put("DIRPIPE_LAKE_ROLL_BYTES", "1024");
    env.put("DIRPIPE_KAFKA_SESSION_TIMEOUT_MS", "6000"); // a killed member's partitions move on
    slow.put("DIRPIPE_KAFKA_SESSION_TIMEOUT_MS", "6000");
    Random random = new Random(42);
    for (int kill = 0; kill < 3; kill++) {
      int before = parquetFiles().size();
      int target = before + 1 + random.nextInt(8); // interrupt after a varying amount of work
      Path log = dir.resolve("sink-" + kill + ".log");
      Process p =
          PackagedDirpipe.command(slow, "sink", "lake", "--until-idle", "5s")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      String what = "sink " + kill + " published " + target + " files (log " + log + ")";
      await(what)
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .ignoreException(java.io.UncheckedIOException.class) // a file moved while listed
          .until(() -> !p.isAlive() || parquetFiles().size() >= target);
      assertThat(p.isAlive())
          .as("sink %d still running when killed, so the kill interrupts it (log %s)", kill, log)
          .isTrue();
      p.destroyForcibly(); // kill -9, between two rolls or in the middle of one
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("sink %d ended after kill -9", kill).isTrue();
    }
    assertThat(parquetFiles()).as("files the killed sinks published").isNotEmpty();
    assertThat(sink()).isZero();
    assertExactlyOnce();
  }

  private int sink() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"sink", "lake", "--until-idle", "2s", "--json"},
            env,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    if (code != 0) {
      throw new AssertionError(err.toString());
    }
    return code;
  }

  private List<Path> parquetFiles() throws Exception {
    return LakeContents.parquetFiles(lake);
  }

  private void assertExactlyOnce() throws Exception {
    LakeContents.assertEveryRecordOnce(lake, RECORDS);
  }
}
