package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.lake.LocalLakeStore;
import io.dirpipe.sink.lake.ParquetFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dirpipe sink lake} to a local folder: files land under tenant and date, and a crash
 * between publishing files and committing offsets leaves each record in the lake exactly once.
 */
@ExtendWith(KafkaExtension.class)
class LakeSinkIT {
  static final int RECORDS = 20_000;
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
    TopicSetup.ensure(KafkaClients.of(kafka), List.of(raw), 3);
    // two days in the past: brokers refuse timestamps far in the future
    // (log.message.timestamp.after.max.ms)
    Instant yesterday = DAY_ONE.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    try (KafkaProducer<ObjectKey, Observation> p =
        new KafkaProducer<>(
            TestProducers.config(kafka),
            raw.keySerde().serializer(),
            raw.valueSerde().serializer())) {
      for (int i = 0; i < RECORDS; i++) {
        String id = String.format("%08x-0000-4000-8000-000000000000", i);
        Instant at = i < RECORDS / 2 ? yesterday : yesterday.plus(Duration.ofDays(1));
        User u = User.newBuilder().setId(id).setDisplayName("User " + i).build();
        sent.add(
            p.send(
                new ProducerRecord<>(
                    raw.name(),
                    null,
                    at.toEpochMilli(),
                    new ObjectKey(TENANT, id),
                    new Observation(
                        TENANT,
                        "users",
                        id,
                        "run-1",
                        Mode.FULL,
                        1 + i / 999,
                        at,
                        ObservationKind.OBSERVED,
                        null,
                        u,
                        null))));
      }
    }
    for (var f : sent) {
      f.get(); // every record is in the topic, or the test stops here
    }
  }

  @Test
  void filesLandByTenantAndDateAndHoldEveryRecordOnce() throws Exception {
    assertThat(sink()).isZero();
    List<Path> files = parquetFiles();
    assertThat(files)
        .allMatch(f -> f.toString().contains("/raw.users/tenant=" + TENANT + "/date="));
    assertThat(files.stream().map(f -> f.getParent().getFileName().toString()).distinct())
        .containsExactlyInAnyOrder("date=" + DAY_ONE, "date=" + DAY_ONE.plusDays(1));
    assertExactlyOnce();
  }

  @Test
  void aCrashBetweenPublishingAndCommittingWritesNothingTwice() throws Exception {
    assertThat(sink()).isZero();
    // The state a crash leaves: the last roll's files published, its offsets not committed. With
    // --until-idle and the default roll size each partition had one roll, so that is offset 0.
    try (Admin admin = Admin.create(kafka)) {
      admin
          .alterConsumerGroupOffsets(
              env.get("DIRPIPE_LAKE_GROUP"),
              Map.of(
                  new TopicPartition(raw.name(), 0), new OffsetAndMetadata(0),
                  new TopicPartition(raw.name(), 1), new OffsetAndMetadata(0)))
          .all()
          .get();
    }
    assertThat(sink()).isZero();
    assertExactlyOnce();
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

  @Test
  void theInventoryDatasetIsAFullSnapshotPerTenant() throws Exception {
    Topic<ObjectKey, User> inventory = topics.inventory(Collection.USERS);
    TopicSetup.ensure(KafkaClients.of(kafka), List.of(inventory), 3);
    try (KafkaProducer<ObjectKey, User> p =
        new KafkaProducer<>(
            kafka, inventory.keySerde().serializer(), inventory.valueSerde().serializer())) {
      for (int i = 0; i < 100; i++) {
        String id = "u" + i;
        p.send(
            new ProducerRecord<>(
                inventory.name(),
                new ObjectKey(TENANT, id),
                User.newBuilder().setId(id).setDisplayName("v1").build()));
      }
      p.send(
          new ProducerRecord<>(
              inventory.name(),
              new ObjectKey(TENANT, "u1"),
              User.newBuilder().setId("u1").setDisplayName("v2").build()));
      p.send(new ProducerRecord<>(inventory.name(), new ObjectKey(TENANT, "u2"), null));
    }
    env.put("DIRPIPE_LAKE_DATASETS", "inventory");
    assertThat(sink()).isZero();
    List<Path> snapshots = parquetFiles();
    assertThat(snapshots).hasSize(1);
    assertThat(snapshots.get(0).toString())
        .contains("/inventory.users/tenant=" + TENANT + "/date=")
        .contains("/snapshot-");
    List<GenericRecord> rows = ParquetFiles.read(snapshots.get(0));
    assertThat(rows).hasSize(99);
    assertThat(
            rows.stream()
                .filter(r -> r.get("id").toString().equals("u1"))
                .map(r -> r.get("displayName").toString()))
        .containsExactly("v2");
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
    if (!Files.isDirectory(lake)) {
      return List.of();
    }
    return new LocalLakeStore(lake)
        .list("").stream().filter(p -> p.endsWith(".parquet")).map(lake::resolve).toList();
  }

  private void assertExactlyOnce() throws Exception {
    List<String> places = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path f : parquetFiles()) {
      for (GenericRecord r : ParquetFiles.read(f)) {
        places.add(r.get("kafkaPartition") + "/" + r.get("kafkaOffset"));
        ids.add(((ObjectKey) r.get("key")).getObjectId());
      }
    }
    assertThat(places).as("rows").hasSize(RECORDS);
    assertThat(new HashSet<>(places)).as("distinct (partition, offset)").hasSize(RECORDS);
    assertThat(ids).as("distinct keys").hasSize(RECORDS);
  }
}
