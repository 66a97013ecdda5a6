package io.dirpipe.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake sink on a real broker and a local folder: files land under tenant and date, and a crash
 * between publishing files and committing offsets leaves each record in the lake exactly once.
 * (Kills of the packaged sink process: {@code LakeSinkKillIT} in the CLI module.)
 */
@ExtendWith(KafkaExtension.class)
class LakeSinkIT {
  static final int RECORDS = 6_000;
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  // two days in the past: brokers refuse timestamps far in the future
  static final LocalDate DAY_ONE = LocalDate.now(ZoneOffset.UTC).minusDays(3);

  @TempDir Path dir;
  Path lake;
  KafkaClients kafka;
  Topics topics;
  String group;
  Map<String, Object> settings;

  @BeforeEach
  void publish(TestKafka broker) throws Exception {
    String prefix = "lk" + UUID.randomUUID().toString().substring(0, 6) + ".";
    lake = dir.resolve("lake");
    kafka = broker.clients();
    topics = new Topics(prefix);
    group = prefix + "lake";
    settings = new HashMap<>();
    settings.put(SinkConfig.LAKE_ROOT, lake.toString());
    settings.put(SinkConfig.LAKE_DATASETS, "raw");
    settings.put(SinkConfig.SINK_COLLECTIONS, "users");
    RawUsers.publish(kafka, topics.raw(Collection.USERS), TENANT, RECORDS, DAY_ONE);
  }

  @Test
  void filesLandByTenantAndDateAndHoldEveryRecordOnce() throws Exception {
    sinkUntilIdle();
    List<Path> files = parquetFiles();
    assertThat(files)
        .allMatch(f -> f.toString().contains("/raw.users/tenant=" + TENANT + "/date="));
    assertThat(files.stream().map(f -> f.getParent().getFileName().toString()).distinct())
        .containsExactlyInAnyOrder("date=" + DAY_ONE, "date=" + DAY_ONE.plusDays(1));
    assertExactlyOnce();
  }

  @Test
  void aCrashBetweenPublishingAndCommittingWritesNothingTwice() throws Exception {
    sinkUntilIdle();
    // The state a crash leaves: the last roll's files published, its offsets not committed. With
    // --until-idle and the default roll size each partition had one roll, so that is offset 0.
    String raw = topics.raw(Collection.USERS).name();
    try (Admin admin = kafka.admin("test")) {
      admin
          .alterConsumerGroupOffsets(
              group,
              Map.of(
                  new TopicPartition(raw, 0), new OffsetAndMetadata(0),
                  new TopicPartition(raw, 1), new OffsetAndMetadata(0)))
          .all()
          .get();
    }
    sinkUntilIdle();
    assertExactlyOnce();
  }

  @Test
  void theInventoryDatasetIsAFullSnapshotPerTenant() throws Exception {
    Topic<ObjectKey, User> inventory = topics.inventory(Collection.USERS);
    TopicSetup.ensure(kafka, List.of(inventory), io.dirpipe.schemas.TopicLayout.DEFAULT);
    try (Producer<ObjectKey, User> p =
        kafka.producer(
            io.dirpipe.core.kafka.ClientSettings.of("test")
                .require(
                    org.apache.kafka.clients.producer.ProducerConfig
                        .MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                    1),
            inventory.keySerde().serializer(),
            inventory.valueSerde().serializer())) {
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
    settings.put(SinkConfig.LAKE_DATASETS, "inventory");
    sinkUntilIdle();
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

  /** What {@code dirpipe sink lake --until-idle 2s} runs. */
  private void sinkUntilIdle() throws Exception {
    SinkStats stats = new SinkStats();
    try (DeadLetters dlq = new DeadLetters(kafka, topics.deadLetters("lake"), stats)) {
      LakeSink sink =
          new LakeSink(
              new SinkConfig(settings),
              topics,
              new LocalLakeStore(lake),
              kafka,
              dlq,
              stats,
              Time.SYSTEM);
      List<String> inputs = sink.topics().stream().map(Topic::name).toList();
      SinkRunner runner = new SinkRunner(kafka, group, inputs, sink, stats, Time.SYSTEM);
      try {
        runner.run(Duration.ofSeconds(2));
      } finally {
        runner.close();
      }
    }
  }

  private List<Path> parquetFiles() throws Exception {
    return LakeContents.parquetFiles(lake);
  }

  private void assertExactlyOnce() throws Exception {
    LakeContents.assertEveryRecordOnce(lake, RECORDS);
  }
}
