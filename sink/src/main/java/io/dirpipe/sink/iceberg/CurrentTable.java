package io.dirpipe.sink.iceberg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * A live table ({@code <collection>_current}, {@code memberships_current}, {@code edges_current}):
 * one row per key. A commit writes, in one {@code RowDelta}, equality deletes of every key changed
 * in the interval and the last row of each key still live (a delete in a commit does not apply to
 * rows the same commit adds: Iceberg's sequence numbers).
 */
final class CurrentTable extends LakeTable {
  private final List<String> identity;
  private final org.apache.iceberg.Schema keySchema;

  /** The last row of each key in this interval (null: deleted), in the order of their changes. */
  private final Map<List<Object>, Record> latest = new LinkedHashMap<>();

  CurrentTable(Table table, String group, List<String> identity) {
    super(table, group);
    this.identity = identity;
    this.keySchema = table.schema().select(identity);
  }

  @Override
  void add(Record row, boolean deleted) {
    List<Object> key = key(row, identity);
    latest.remove(key); // re-inserted last
    latest.put(key, deleted ? null : HistoryRows.project(row, table.schema()));
  }

  @Override
  int buffered() {
    return latest.size();
  }

  @Override
  void write(String group) {
    List<Record> keys = new ArrayList<>();
    List<Record> upserts = new ArrayList<>();
    latest.forEach(
        (k, row) -> {
          org.apache.iceberg.data.GenericRecord key =
              org.apache.iceberg.data.GenericRecord.create(keySchema);
          for (int i = 0; i < identity.size(); i++) {
            key.setField(identity.get(i), k.get(i));
          }
          keys.add(key);
          if (row != null) {
            upserts.add(row);
          }
        });
    TableCommits.rowDelta(table, group, upserts, keys, keySchema, next);
  }

  @Override
  void clear() {
    latest.clear();
  }
}
