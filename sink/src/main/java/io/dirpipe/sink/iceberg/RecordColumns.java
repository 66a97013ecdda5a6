package io.dirpipe.sink.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * One of dirpipe's own records (an observation's envelope, a run event) as columns: each field in
 * snake case ({@code observedAt} as {@code observed_at}) unless renamed, both ways.
 */
final class RecordColumns {
  private final Schema record;
  private final Map<String, String> renames;
  private final java.util.Set<String> skipped;

  /**
   * @param renames column names that are not the field's snake case
   * @param skipped fields that are not columns (an observation's payload)
   */
  RecordColumns(Schema record, Map<String, String> renames, java.util.Set<String> skipped) {
    this.record = record;
    this.renames = renames;
    this.skipped = skipped;
  }

  String column(Schema.Field f) {
    return renames.getOrDefault(f.name(), AvroColumns.snake(f.name()));
  }

  /** The columns' Avro fields, with the record's docs. */
  List<Schema.Field> fields() {
    List<Schema.Field> out = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      if (!skipped.contains(f.name())) {
        out.add(new Schema.Field(column(f), f.schema(), f.doc(), f.defaultVal()));
      }
    }
    return out;
  }

  /** Sets the columns of {@code row} from {@code value}'s fields. */
  void fill(GenericRecord row, IndexedRecord value) {
    Types.StructType struct = row.struct();
    for (Schema.Field f : record.getFields()) {
      if (!skipped.contains(f.name())) {
        String column = column(f);
        row.setField(column, IcebergValues.of(value.get(f.pos()), struct.field(column).type()));
      }
    }
  }

  /** The record back from a row's columns (skipped fields left null). */
  IndexedRecord read(Record row) {
    IndexedRecord out =
        (IndexedRecord) io.dirpipe.schemas.serde.AvroSerde.MODEL.newRecord(null, record);
    for (Schema.Field f : record.getFields()) {
      if (!skipped.contains(f.name())) {
        out.put(f.pos(), AvroValues.of(row.getField(column(f)), f.schema()));
      }
    }
    return out;
  }
}
