package io.dirpipe.sink.iceberg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.common.TopicPartition;

/**
 * One table the sink writes and what is buffered for its next commit: rows, and the next offset of
 * every partition they came from. {@link #commit} writes them in one snapshot that records those
 * offsets ({@link TableCommits}).
 */
abstract class LakeTable {
  final Table table;

  /** Per partition, the next offset the table has (from its snapshots, then its commits). */
  final Map<TopicPartition, Long> committed = new HashMap<>();

  /** Per partition, the next offset once the buffered rows are committed. */
  final Map<TopicPartition, Long> next = new HashMap<>();

  LakeTable(Table table, String group) {
    this.table = table;
    committed.putAll(TableCommits.offsets(table, group));
  }

  /** A row of the feed's schema, and whether it ends what its key names. */
  abstract void add(Record row, boolean deleted);

  /** Rows the next commit writes. */
  abstract int buffered();

  /** Writes the buffered rows with {@link #next} in one commit. */
  abstract void write(String group);

  /** Nothing buffered any more. */
  abstract void clear();

  final void commit(String group) {
    write(group);
    committed.putAll(next);
    next.clear();
    clear();
  }

  /** The values of {@code columns} in {@code row}: a key. */
  static List<Object> key(Record row, List<String> columns) {
    List<Object> key = new ArrayList<>(columns.size());
    columns.forEach(c -> key.add(row.getField(c)));
    return key;
  }

  /** Every row appended: raw observations, run events. */
  static final class Append extends LakeTable {
    private final List<Record> rows = new ArrayList<>();

    Append(Table table, String group) {
      super(table, group);
    }

    @Override
    void add(Record row, boolean deleted) {
      rows.add(row);
    }

    @Override
    int buffered() {
      return rows.size();
    }

    @Override
    void write(String group) {
      TableCommits.append(table, group, rows, next);
    }

    @Override
    void clear() {
      rows.clear();
    }
  }
}
