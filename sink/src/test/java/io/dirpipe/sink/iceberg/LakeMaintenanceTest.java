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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake maintain} on tables the sink wrote in many small commits, with updates and deletes
 * (equality delete files): the same rows in fewer files and no delete files, the history still
 * answering replays, the offsets where the sink resumes kept through snapshot expiry, and the sink
 * going on writing to the compacted tables.
 */
class LakeMaintenanceTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  final Topics topics = new Topics("t.");
  final Topic<ObjectKey, Change> changes = topics.changes(Collection.USERS);
  final ManualTime time = new ManualTime();
  final SinkStats stats = new SinkStats();
  @TempDir Path lake;
  long offset;

  @Test
  void compactionKeepsEveryRowAndExpiryKeepsTheOffsets() throws Exception {
    IcebergSink sink = sink();
    for (int commit = 0; commit < 8; commit++) {
      List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
      for (int u = 0; u < 5; u++) {
        String id = "u" + u;
        Operation op =
            commit == 0
                ? Operation.CREATE
                : (commit + u) % 7 == 0 ? Operation.DELETE : Operation.UPDATE;
        if (commit > 0 && (commit + u) % 7 == 1) {
          op = Operation.CREATE; // back after its delete
        }
        batch.add(record(id, op, id + " v" + commit));
      }
      sink.accept(
          new ConsumerRecords<>(Map.of(new TopicPartition(changes.name(), 0), batch), Map.of()));
      sink.flush(List.of());
    }
    Catalog catalog = LakeCatalog.embedded(lake);
    Table history = table(catalog, "users_history");
    Table current = table(catalog, "users_current");
    List<String> historyRows = rows(history);
    List<String> currentRows = rows(current);
    var replayBefore = LakeReplay.at(catalog, Collection.USERS, T.plusSeconds(30));
    int[] historyFiles = LakeMaintenance.files(history);
    assertThat(historyFiles[1]).as("delete files of the history before").isPositive();
    var offsets = TableCommits.offsets(history, "lake");

    for (Table t : List.of(history, current)) {
      var r = LakeMaintenance.maintain(t, 128L << 20, System.currentTimeMillis() + 3_600_000, 1);
      assertThat(r.dataFilesAfter()).as(t.name()).isLessThan(r.dataFilesBefore());
      assertThat(r.deleteFilesAfter()).as(t.name()).isZero();
      assertThat(r.snapshotsExpired()).as(t.name()).isPositive();
      assertThat(t.snapshots())
          .as("%s: the compaction's snapshot records the offsets, so only it is kept", t.name())
          .hasSize(1);
    }
    assertThat(rows(history)).isEqualTo(historyRows);
    assertThat(rows(current)).isEqualTo(currentRows);
    assertThat(LakeReplay.at(catalog, Collection.USERS, T.plusSeconds(30))).isEqualTo(replayBefore);
    assertThat(TableCommits.offsets(history, "lake"))
        .as("where the sink resumes")
        .isEqualTo(offsets);

    // the sink restarts on the compacted tables and closes versions in them
    IcebergSink again = sink();
    again.accept(
        new ConsumerRecords<>(
            Map.of(
                new TopicPartition(changes.name(), 0),
                List.of(record("u1", Operation.UPDATE, "u1 after"))),
            Map.of()));
    again.flush(List.of());
    assertThat(LakeRecords.current(catalog, Collection.USERS).get(new ObjectKey(TENANT, "u1")))
        .extracting(User::getDisplayName)
        .isEqualTo("u1 after");
    List<Object> open = new ArrayList<>();
    history.refresh();
    try (CloseableIterable<Record> it = IcebergGenerics.read(history).build()) {
      it.forEach(
          r -> {
            if (r.getField("id").equals("u1") && r.getField("valid_to") == null) {
              open.add(r.getField("displayName"));
            }
          });
    }
    assertThat(open).as("u1's open versions: the compacted one closed").containsExactly("u1 after");
  }

  ConsumerRecord<byte[], byte[]> record(String id, Operation op, String name) {
    User user = User.newBuilder().setId(id).setDisplayName(name).build();
    long o = offset++;
    Change change =
        Envelope.change(
            op,
            op == Operation.CREATE ? null : user,
            op == Operation.DELETE ? null : user,
            List.of(),
            op == Operation.DELETE ? io.dirpipe.schemas.RemovedReason.DELETED : null,
            Envelope.source(TENANT, "users", "run-1", Mode.DELTA, T.plusSeconds(o)),
            T);
    return new ConsumerRecord<>(
        changes.name(),
        0,
        o,
        changes.keySerde().serializer().serialize(changes.name(), new ObjectKey(TENANT, id)),
        changes.valueSerde().serializer().serialize(changes.name(), change));
  }

  IcebergSink sink() {
    return TestSinks.of(
        LakeCatalog.embedded(lake),
        topics,
        List.of(Collection.USERS),
        Set.of("changes"),
        stats,
        time);
  }

  static Table table(Catalog catalog, String name) {
    return catalog.loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, name));
  }

  /** Every row's values, sorted: equal lists, equal tables. */
  static List<String> rows(Table table) throws Exception {
    table.refresh();
    List<String> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> out.add(r.toString()));
    }
    out.sort(null);
    return out;
  }
}
