package io.dirpipe.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.core.ManualTime;
import io.dirpipe.core.kafka.MockKafkaClients;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.SinkStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's roll decisions on a manual clock: a partition's files are published when they are
 * {@code lake.roll-interval} old, and its offset is handed back to commit only after they are.
 */
class LakeSinkTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  final Topics topics = new Topics("t.");
  final Topic<ObjectKey, Observation> raw = topics.raw(Collection.USERS);
  final TopicPartition p0 = new TopicPartition(raw.name(), 0);
  final ManualTime time = new ManualTime();
  final SinkStats stats = new SinkStats();
  final MockKafkaClients kafka = new MockKafkaClients(Cluster.empty());
  @TempDir Path root;

  @Test
  void aPartitionRollsWhenItsFirstRecordIsRollIntervalOld() throws Exception {
    LakeSink sink = sink(new LocalLakeStore(root));
    assertThat(sink.accept(records(0, 3)))
        .as("offsets after 3 records, before the interval")
        .isEmpty();

    time.advance(Duration.ofMillis(59_999));
    assertThat(sink.tick()).as("offsets 1 ms before the roll interval").isEmpty();
    assertThat(published()).isEmpty();

    time.advance(Duration.ofMillis(1));
    assertThat(sink.tick()).containsExactly(Map.entry(p0, new OffsetAndMetadata(3)));
    assertThat(published()).hasSize(1);
    assertThat(ParquetFiles.count(published().get(0))).isEqualTo(3);
    assertThat(sink.tick()).as("nothing left to roll").isEmpty();
  }

  @Test
  void theIntervalCountsFromTheFirstRecordOfTheNextFile() throws Exception {
    LakeSink sink = sink(new LocalLakeStore(root));
    sink.accept(records(0, 1));
    time.advance(Duration.ofSeconds(60));
    assertThat(sink.tick()).containsOnlyKeys(p0);
    time.advance(Duration.ofSeconds(30));
    sink.accept(records(1, 1));
    time.advance(Duration.ofSeconds(59));
    assertThat(sink.tick()).as("59 s after the second file's first record").isEmpty();
    time.advance(Duration.ofSeconds(1));
    assertThat(sink.tick()).containsExactly(Map.entry(p0, new OffsetAndMetadata(2)));
  }

  @Test
  void aFailedPublishHandsBackNoOffsetToCommit() throws Exception {
    LakeStore local = new LocalLakeStore(root);
    LakeStore failing =
        new LakeStore() {
          @Override
          public void publish(Path localFile, String path) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public List<String> list(String prefix) throws IOException {
            return local.list(prefix);
          }

          @Override
          public void delete(String path) throws IOException {
            local.delete(path);
          }

          @Override
          public Path scratch() throws IOException {
            return local.scratch();
          }

          @Override
          public String describe() {
            return "a failing store";
          }
        };
    LakeSink sink = sink(failing);
    sink.accept(records(0, 3));
    time.advance(Duration.ofSeconds(60));
    assertThatThrownBy(sink::tick).hasMessageContaining("Cannot publish");
    assertThat(published()).isEmpty();
  }

  @Test
  void aRecordWhoseTenantIsNotATenantIdIsDeadLetteredNotWrittenOutsideTheLake() throws Exception {
    LakeSink sink = sink(new LocalLakeStore(root.resolve("lake")));
    ConsumerRecords<byte[], byte[]> bad = records(0, 1, "x/../../ESCAPED");
    sink.accept(bad);
    assertThat(sink.flush(List.of(p0)))
        .as("its offset is passed: the record is in the dead-letter topic")
        .containsExactly(Map.entry(p0, new OffsetAndMetadata(1)));
    assertThat(kafka.producers()).singleElement();
    assertThat(kafka.producers().get(0).history())
        .singleElement()
        .satisfies(
            r ->
                assertThat(new String(r.headers().lastHeader("dirpipe.error").value()))
                    .contains("not a tenant id"));
    try (Stream<Path> s = Files.walk(root)) {
      assertThat(s.map(Path::toString)).noneMatch(p -> p.contains("ESCAPED"));
    }
  }

  @Test
  void aRecordTheRegistryCannotBeAskedAboutStopsTheSinkAndIsNotDeadLettered() throws Exception {
    // the registry is down: port 1 on loopback refuses every connection
    var registry =
        new io.dirpipe.schemas.wire.RegistryClient(
            "http://127.0.0.1:1", null, Duration.ofSeconds(2));
    Topics withRegistry =
        new Topics(
            "t.",
            new io.dirpipe.schemas.wire.Formats(
                Map.of(
                    io.dirpipe.schemas.wire.Formats.TopicClass.RAW,
                    io.dirpipe.schemas.wire.ValueFormat.AVRO),
                registry));
    LakeSink sink = sink(new LocalLakeStore(root), withRegistry);
    byte[] confluent = {0, 0, 0, 0, 7, 2, 4, 6};
    ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(raw.name(), 0, 0, confluent, confluent);
    ConsumerRecords<byte[], byte[]> records =
        new ConsumerRecords<>(Map.of(p0, List.of(r)), Map.of());

    assertThatThrownBy(() -> sink.accept(records))
        .isInstanceOf(io.dirpipe.schemas.wire.RegistryClient.RegistryException.class)
        .hasMessageContaining("127.0.0.1:1");
    assertThat(kafka.producers())
        .as("nothing dead-lettered")
        .allSatisfy(p -> assertThat(p.history()).isEmpty());
    assertThat(stats.deadLettered.sum()).isZero();
  }

  private LakeSink sink(LakeStore store) {
    return sink(store, topics);
  }

  private LakeSink sink(LakeStore store, Topics topics) {
    SinkConfig config =
        new SinkConfig(
            Map.of(
                SinkConfig.LAKE_ROOT, root.toString(),
                SinkConfig.LAKE_DATASETS, "raw",
                SinkConfig.SINK_COLLECTIONS, "users",
                SinkConfig.LAKE_ROLL_INTERVAL, "60000",
                SinkConfig.LAKE_ROLL_BYTES, Long.toString(1L << 40)));
    DeadLetters dlq = new DeadLetters(kafka, topics.deadLetters("lake"), stats);
    return new LakeSink(config, topics, store, kafka, dlq, stats, time);
  }

  private ConsumerRecords<byte[], byte[]> records(long firstOffset, int n) {
    return records(firstOffset, n, TENANT);
  }

  private ConsumerRecords<byte[], byte[]> records(long firstOffset, int n, String tenant) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
    Instant at = Instant.parse("2026-03-01T12:00:00Z");
    for (int i = 0; i < n; i++) {
      long offset = firstOffset + i;
      String id = "u" + offset;
      Observation o = RawUsers.observed(tenant, id, "User " + offset, 1, at);
      list.add(
          new ConsumerRecord<>(
              raw.name(),
              0,
              offset,
              raw.keySerde().serializer().serialize(raw.name(), new ObjectKey(tenant, id)),
              raw.valueSerde().serializer().serialize(raw.name(), o)));
    }
    return new ConsumerRecords<>(Map.of(p0, list), Map.of());
  }

  private List<Path> published() throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_scratch"))
          .toList();
    }
  }
}
