package io.dirpipe.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.ManualTime;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.SinkStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Iceberg sink on a manual clock: one commit per interval with the offsets it covers, handed
 * back only after; a restarted sink resumes from the table's offsets even when the group's commit
 * was lost, so no row is written twice.
 */
class IcebergSinkTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  final Topics topics = new Topics("t.");
  final Topic<ObjectKey, Change> changes = topics.changes(Collection.USERS);
  final TopicPartition p0 = new TopicPartition(changes.name(), 0);
  final ManualTime time = new ManualTime();
  final SinkStats stats = new SinkStats();
  @TempDir Path lake;

  @Test
  void oneCommitPerIntervalThenTheOffsetsItCovers() throws Exception {
    IcebergSink sink = sink();
    assertThat(sink.accept(records(0, 3))).isEmpty();
    time.advance(Duration.ofMillis(59_999));
    assertThat(sink.tick()).as("1 ms before the interval").isEmpty();
    assertThat(rows()).isEmpty();
    time.advance(Duration.ofMillis(1));
    assertThat(sink.tick()).containsExactly(Map.entry(p0, new OffsetAndMetadata(3)));
    assertThat(rows()).extracting(r -> r.getField("kafka_offset")).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aRestartAfterTheTableCommitButBeforeTheGroupsResumesFromTheTable() throws Exception {
    IcebergSink first = sink();
    first.accept(records(0, 5));
    first.flush(List.of(p0)); // committed to the table; the group's commit is lost in a crash

    IcebergSink second = sink();
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    consumer.assign(List.of(p0));
    consumer.updateBeginningOffsets(Map.of(p0, 0L));
    consumer.seek(p0, 0); // where the group (which never committed) would start
    second.assigned(consumer, List.of(p0));
    assertThat(consumer.position(p0)).as("positioned by the table").isEqualTo(5);

    // had the records been delivered again anyway, they are not written twice
    second.accept(records(0, 7));
    assertThat(second.flush(List.of(p0))).containsExactly(Map.entry(p0, new OffsetAndMetadata(7)));
    assertThat(rows())
        .extracting(r -> r.getField("kafka_offset"))
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void twoInstancesOfOneGroupKeepEachOthersOffsets() throws Exception {
    TopicPartition p1 = new TopicPartition(changes.name(), 1);
    IcebergSink a = sink();
    IcebergSink b = sink(); // started before a commits: its view of the table is older
    a.accept(records(0, 5)); // partition 0
    List<ConsumerRecord<byte[], byte[]>> onP1 = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records(100, 3)) {
      onP1.add(new ConsumerRecord<>(r.topic(), 1, r.offset() - 100, r.key(), r.value()));
    }
    b.accept(new ConsumerRecords<>(Map.of(p1, onP1), Map.of()));
    a.flush(List.of(p0));
    b.flush(List.of(p1));
    var table =
        LakeCatalog.embedded(lake)
            .loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, "users_history"));
    assertThat(table.currentSnapshot().summary().get(TableCommits.OFFSETS))
        .as("b's commit records its own partition only")
        .doesNotContain(changes.name() + "/0");
    assertThat(TableCommits.offsets(table, "lake"))
        .as("where the group resumes")
        .containsOnly(Map.entry(p0, 5L), Map.entry(p1, 3L));
  }

  @Test
  void theCurrentTableHoldsEachLiveObjectOnceAcrossIntervals() throws Exception {
    IcebergSink sink = sink();
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(record(0, "a", Operation.CREATE, "A1"));
    batch.add(record(1, "b", Operation.CREATE, "B1"));
    batch.add(record(2, "a", Operation.UPDATE, "A2")); // twice in one interval: the last wins
    batch.add(record(3, "c", Operation.CREATE, "C1"));
    sink.accept(new ConsumerRecords<>(Map.of(p0, batch), Map.of()));
    sink.flush(List.of(p0));
    assertThat(current())
        .containsOnly(Map.entry("a", "A2"), Map.entry("b", "B1"), Map.entry("c", "C1"));

    List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>();
    next.add(record(4, "b", Operation.DELETE, "B1"));
    next.add(record(5, "a", Operation.UPDATE, "A3"));
    next.add(record(6, "c", Operation.DELETE, "C1"));
    next.add(record(7, "c", Operation.CREATE, "C2")); // deleted and created again
    sink.accept(new ConsumerRecords<>(Map.of(p0, next), Map.of()));
    sink.flush(List.of(p0));
    assertThat(current()).containsOnly(Map.entry("a", "A3"), Map.entry("c", "C2"));
    assertThat(rows()).hasSize(8); // the history keeps every change
  }

  @Test
  void eachVersionIsValidUntilTheNextChangeOfItsObjectAcrossCommitsAndRestarts() throws Exception {
    IcebergSink first = sink();
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(record(0, "a", Operation.CREATE, "A1")); // observed at T + 0 s
    batch.add(record(1, "a", Operation.UPDATE, "A2")); // T + 1 s: closes A1 in the same commit
    batch.add(record(2, "b", Operation.CREATE, "B1"));
    first.accept(new ConsumerRecords<>(Map.of(p0, batch), Map.of()));
    first.flush(List.of(p0));

    IcebergSink second = sink(); // a restart: the open versions come from the table
    List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>();
    next.add(record(3, "a", Operation.UPDATE, "A3")); // closes the committed A2
    next.add(record(4, "a", Operation.DELETE, "A3")); // closes A3
    second.accept(new ConsumerRecords<>(Map.of(p0, next), Map.of()));
    second.flush(List.of(p0));

    List<String> versions = new ArrayList<>();
    for (Record r : rows()) {
      versions.add(
          r.getField("id")
              + " "
              + r.getField("op")
              + " "
              + r.getField("displayName")
              + " "
              + seconds(r.getField("valid_from"))
              + ".."
              + seconds(r.getField("valid_to")));
    }
    assertThat(versions)
        .containsExactly("a r A1 0..1", "a u A2 1..3", "b r B1 2..", "a u A3 3..4", "a d A3 4..");
  }

  @Test
  void theInventoryAtAnyTimeComesBackFromTheHistory() throws Exception {
    IcebergSink sink = sink();
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(record(0, "a", Operation.CREATE, "A1"));
    batch.add(record(1, "a", Operation.UPDATE, "A2"));
    batch.add(record(2, "b", Operation.CREATE, "B1"));
    sink.accept(new ConsumerRecords<>(Map.of(p0, batch), Map.of()));
    sink.flush(List.of(p0));
    List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>();
    next.add(record(3, "a", Operation.UPDATE, "A3"));
    next.add(record(4, "a", Operation.DELETE, "A3"));
    sink.accept(new ConsumerRecords<>(Map.of(p0, next), Map.of()));
    sink.flush(List.of(p0));

    var catalog = LakeCatalog.embedded(lake);
    java.util.function.Function<Double, Map<String, String>> at =
        s ->
            LakeReplay.at(catalog, Collection.USERS, T.plusMillis((long) (s * 1000)))
                .entrySet()
                .stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e -> e.getKey().getObjectId(), e -> e.getValue().getDisplayName()));
    assertThat(at.apply(-0.5)).isEmpty();
    assertThat(at.apply(0.0)).containsOnly(Map.entry("a", "A1"));
    assertThat(at.apply(1.5)).containsOnly(Map.entry("a", "A2"));
    assertThat(at.apply(2.5)).containsOnly(Map.entry("a", "A2"), Map.entry("b", "B1"));
    assertThat(at.apply(3.5)).containsOnly(Map.entry("a", "A3"), Map.entry("b", "B1"));
    assertThat(at.apply(4.0)).containsOnly(Map.entry("b", "B1"));
    User a =
        LakeReplay.at(catalog, Collection.USERS, T.plusSeconds(1)).get(new ObjectKey(TENANT, "a"));
    assertThat(a).isEqualTo(User.newBuilder().setId("a").setDisplayName("A2").build());
  }

  static String seconds(Object time) {
    return time == null
        ? ""
        : Long.toString(
            java.time.Duration.between(T, ((OffsetDateTime) time).toInstant()).toSeconds());
  }

  Map<String, String> current() throws Exception {
    var table =
        LakeCatalog.embedded(lake)
            .loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, "users_current"));
    Map<String, String> out = new java.util.HashMap<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      for (Record r : it) {
        assertThat(out.put((String) r.getField("id"), (String) r.getField("displayName")))
            .as("one row per object")
            .isNull();
      }
    }
    return out;
  }

  ConsumerRecord<byte[], byte[]> record(long offset, String id, Operation op, String name) {
    ObjectKey key = new ObjectKey(TENANT, id);
    User user = User.newBuilder().setId(id).setDisplayName(name).build();
    Change change =
        Envelope.change(
            op,
            op == Operation.CREATE ? null : user,
            op == Operation.DELETE ? null : user,
            List.of(),
            op == Operation.DELETE ? io.dirpipe.schemas.RemovedReason.DELETED : null,
            Envelope.source(
                TENANT,
                "users",
                "run-1",
                op == Operation.CREATE ? Mode.FULL : Mode.DELTA,
                T.plusSeconds(offset)),
            T);
    return new ConsumerRecord<>(
        changes.name(),
        0,
        offset,
        changes.keySerde().serializer().serialize(changes.name(), key),
        changes.valueSerde().serializer().serialize(changes.name(), change));
  }

  IcebergSink sink() {
    return TestSinks.of(
        LakeCatalog.embedded(lake),
        topics,
        List.of(Collection.USERS),
        java.util.Set.of("changes"),
        stats,
        time);
  }

  List<Record> rows() throws Exception {
    var table =
        LakeCatalog.embedded(lake)
            .loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, "users_history"));
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(out::add);
    }
    out.sort(java.util.Comparator.comparing(r -> (Long) r.getField("kafka_offset")));
    return out;
  }

  ConsumerRecords<byte[], byte[]> records(long first, int n) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
    for (long o = first; o < first + n; o++) {
      ObjectKey key = new ObjectKey(TENANT, "u" + o);
      User user = User.newBuilder().setId("u" + o).setDisplayName("User " + o).build();
      Change change =
          Envelope.change(
              Operation.CREATE,
              null,
              user,
              List.of("displayName"),
              null,
              Envelope.source(TENANT, "users", "run-1", Mode.FULL, T),
              T);
      list.add(
          new ConsumerRecord<>(
              changes.name(),
              0,
              o,
              changes.keySerde().serializer().serialize(changes.name(), key),
              changes.valueSerde().serializer().serialize(changes.name(), change)));
    }
    return new ConsumerRecords<>(Map.of(p0, list), Map.of());
  }
}
