package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.ObjectKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.avro.generic.IndexedRecord;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * A change event as a row of its collection's history table, or of its current table (whose schema
 * lacks the change's own columns: only the columns a schema has are set).
 */
public final class HistoryRows {
  private HistoryRows() {}

  /** The key columns of the object a change is about, for an equality delete. */
  public static Record key(Schema keySchema, ObjectKey key) {
    GenericRecord k = GenericRecord.create(keySchema);
    k.setField("tenant_id", key.getTenantId());
    k.setField("id", key.getObjectId());
    return k;
  }

  private static void set(GenericRecord row, String name, Object value) {
    if (row.struct().field(name) != null) {
      row.setField(name, value);
    }
  }

  /**
   * @param partition the Kafka partition the change was read from
   * @param offset its offset there
   */
  public static Record of(Schema schema, ObjectKey key, Change change, int partition, long offset) {
    GenericRecord row = GenericRecord.create(schema);
    Instant observed = change.getSource().getObservedAt();
    set(row, "tenant_id", key.getTenantId());
    set(row, "op", change.getOp());
    set(row, "valid_from", OffsetDateTime.ofInstant(observed, ZoneOffset.UTC));
    set(row, "run_id", change.getSource().getRunId());
    set(row, "mode", change.getSource().getMode().name());
    set(row, "changed_fields", change.getChangedFields());
    set(
        row,
        "delete_reason",
        change.getDeleteReason() == null ? null : change.getDeleteReason().name());
    set(row, "kafka_partition", partition);
    set(row, "kafka_offset", offset);
    IndexedRecord object =
        (IndexedRecord) (change.getAfter() != null ? change.getAfter() : change.getBefore());
    if (object != null) {
      org.apache.avro.Schema avro = object.getSchema();
      for (Types.NestedField f : schema.columns()) {
        org.apache.avro.Schema.Field field = avro.getField(f.name());
        if (field != null) {
          row.setField(f.name(), IcebergValues.of(object.get(field.pos()), f.type()));
        }
      }
    }
    return row;
  }
}
