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

/** A change event as a row of its collection's history table. */
public final class HistoryRows {
  private HistoryRows() {}

  /**
   * @param partition the Kafka partition the change was read from
   * @param offset its offset there
   */
  public static Record of(Schema schema, ObjectKey key, Change change, int partition, long offset) {
    GenericRecord row = GenericRecord.create(schema);
    Instant observed = change.getSource().getObservedAt();
    row.setField("tenant_id", key.getTenantId());
    row.setField("op", change.getOp());
    row.setField("valid_from", OffsetDateTime.ofInstant(observed, ZoneOffset.UTC));
    row.setField("run_id", change.getSource().getRunId());
    row.setField("mode", change.getSource().getMode().name());
    row.setField("changed_fields", change.getChangedFields());
    row.setField(
        "delete_reason", change.getDeleteReason() == null ? null : change.getDeleteReason().name());
    row.setField("kafka_partition", partition);
    row.setField("kafka_offset", offset);
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
