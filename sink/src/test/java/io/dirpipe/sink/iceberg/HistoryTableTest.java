package io.dirpipe.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.entity.AssignedLicense;
import io.dirpipe.schemas.entity.User;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection's history table in the embedded catalog (SQLite, local warehouse): change events
 * become rows with dirpipe's columns and the entity's, and each commit records the offsets it
 * covers, which a new catalog on the same folder reads back.
 */
class HistoryTableTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final Instant T = Instant.parse("2026-12-01T10:00:00.250Z");
  static final TopicPartition P0 = new TopicPartition("dirpipe.changes.users", 0);

  @TempDir Path lake;

  @Test
  void changesBecomeRowsAndTheCommitKeepsTheirOffsets() throws Exception {
    TableIdentifier id = TableIdentifier.of(Namespace.of("dirpipe"), "users_history");
    Schema schema = HistorySchema.of(User.getClassSchema());
    Catalog catalog = LakeCatalog.embedded(lake);
    Table table = catalog.createTable(id, schema, HistorySchema.spec(schema));

    User ada = user("Ada");
    List<Record> rows = new ArrayList<>();
    rows.add(row(table, change(Operation.CREATE, null, ada, Mode.FULL, T), 0));
    rows.add(
        row(
            table,
            change(Operation.UPDATE, ada, user("Ada L."), Mode.DELTA, T.plusSeconds(60)),
            1));
    rows.add(
        row(
            table,
            change(Operation.DELETE, user("Ada L."), null, Mode.DELTA, T.plusSeconds(120)),
            2));
    TableCommits.append(table, "lake", rows, Map.of(P0, 3L));

    Catalog reopened = LakeCatalog.embedded(lake); // as a restarted sink would
    Table again = reopened.loadTable(id);
    assertThat(TableCommits.offsets(again, "lake")).containsExactly(Map.entry(P0, 3L));
    assertThat(TableCommits.offsets(again, "another-group")).isEmpty();
    List<Record> read = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(again).build()) {
      it.forEach(read::add);
    }
    read.sort(java.util.Comparator.comparing(r -> (Long) r.getField("kafka_offset")));
    assertThat(read).extracting(r -> r.getField("op")).containsExactly("r", "u", "d");
    assertThat(read)
        .extracting(r -> r.getField("displayName"))
        .containsExactly("Ada", "Ada L.", "Ada L.");
    assertThat(read.get(0).getField("valid_from"))
        .isEqualTo(OffsetDateTime.parse("2026-12-01T10:00:00.250Z"));
    assertThat(read.get(0).getField("createdDateTime"))
        .isEqualTo(OffsetDateTime.parse("2020-01-01T00:00:00Z"));
    assertThat(read.get(2).getField("delete_reason")).isEqualTo("DELETED");
    assertThat(read.get(1).getField("changed_fields")).isEqualTo(List.of("displayName"));
    Record license = (Record) ((List<?>) read.get(0).getField("assignedLicenses")).get(0);
    assertThat(license.getField("skuId")).isEqualTo("sku-1");

    // a second commit adds its offsets to the first's
    TopicPartition p1 = new TopicPartition("dirpipe.changes.users", 1);
    TableCommits.append(
        again,
        "lake",
        List.of(row(again, change(Operation.CREATE, null, user("Bo"), Mode.DELTA, T), 0)),
        Map.of(p1, 1L));
    assertThat(TableCommits.offsets(LakeCatalog.embedded(lake).loadTable(id), "lake"))
        .containsOnly(Map.entry(P0, 3L), Map.entry(p1, 1L));
  }

  static Record row(Table table, Change change, long offset) {
    return HistoryRows.of(table.schema(), new ObjectKey(TENANT, "u1"), change, 0, offset);
  }

  static User user(String name) {
    return User.newBuilder()
        .setId("u1")
        .setDisplayName(name)
        .setAccountEnabled(true)
        .setCreatedDateTime(Instant.parse("2020-01-01T00:00:00Z"))
        .setAssignedLicenses(List.of(new AssignedLicense("sku-1", List.of())))
        .build();
  }

  static Change change(Operation op, User before, User after, Mode mode, Instant at) {
    return Envelope.change(
        op,
        before,
        after,
        op == Operation.UPDATE ? List.of("displayName") : List.of(),
        op == Operation.DELETE ? RemovedReason.DELETED : null,
        Envelope.source(TENANT, "users", "run-1", mode, at),
        at);
  }
}
