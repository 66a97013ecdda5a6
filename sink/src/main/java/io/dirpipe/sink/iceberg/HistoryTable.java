package io.dirpipe.sink.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * An SCD type 2 history ({@code <collection>_history}, {@code memberships_history}, {@code
 * edges_history}): one row per change, each valid until the next change of its key. A version
 * written in the same interval is closed in place; one committed earlier is removed by an equality
 * delete of its version key ({@link HistorySchema#versionKey}) and written again with {@code
 * valid_to}, in the same {@code RowDelta} as the new rows. The open version of every key is held in
 * memory (read from the table at start): memory in proportion to the keys, like the current table.
 */
final class HistoryTable extends LakeTable {
  private final List<String> identity;
  private final org.apache.iceberg.Schema versionKey;
  private final List<Record> rows = new ArrayList<>();

  /** The open version (valid_to null) of every key, committed or not. */
  private final Map<List<Object>, Record> open = new HashMap<>();

  /** Committed versions this interval closes (rewritten with valid_to). */
  private final List<Record> closed = new ArrayList<>();

  /** Keys whose open version is one of this interval's rows. */
  private final Set<List<Object>> openedNow = new HashSet<>();

  HistoryTable(Table table, String group, List<String> identity) {
    super(table, group);
    this.identity = identity;
    this.versionKey = HistorySchema.versionKey(table.schema(), identity);
    try (CloseableIterable<Record> versions =
        IcebergGenerics.read(table).where(Expressions.isNull("valid_to")).build()) {
      for (Record r : versions) {
        open.put(key(r, identity), r.copy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
  }

  @Override
  void add(Record row, boolean deleted) {
    List<Object> key = key(row, identity);
    Record previous = open.put(key, row);
    if (previous != null) {
      Object until = row.getField("valid_from");
      if (openedNow.contains(key)) {
        previous.setField("valid_to", until); // not committed yet: closed in place
      } else {
        Record closedRow = previous.copy(); // committed: deleted, then written closed
        closedRow.setField("valid_to", until);
        closed.add(closedRow);
      }
    }
    rows.add(row);
    openedNow.add(key);
  }

  @Override
  int buffered() {
    return rows.size();
  }

  @Override
  void write(String group) {
    List<Record> deletes = new ArrayList<>();
    List<Record> written = new ArrayList<>(rows);
    for (Record version : closed) {
      GenericRecord k = GenericRecord.create(versionKey);
      versionKey.columns().forEach(f -> k.setField(f.name(), version.getField(f.name())));
      deletes.add(k);
      written.add(version);
    }
    TableCommits.rowDelta(table, group, written, deletes, versionKey, next);
  }

  @Override
  void clear() {
    rows.clear();
    closed.clear();
    openedNow.clear();
  }
}
