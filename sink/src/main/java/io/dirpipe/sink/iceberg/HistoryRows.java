package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Source;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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

  private static void set(GenericRecord row, String name, Object value) {
    if (row.struct().field(name) != null) {
      row.setField(name, value);
    }
  }

  /** An object's change event as a row. */
  public static Record of(Schema schema, ObjectKey key, Change change, int partition, long offset) {
    return of(
        schema,
        key.getTenantId(),
        change.getOp(),
        change.getSource(),
        change.getChangedFields(),
        change.getDeleteReason() == null ? null : change.getDeleteReason().name(),
        partition,
        offset,
        (IndexedRecord) (change.getAfter() != null ? change.getAfter() : change.getBefore()));
  }

  /**
   * A change as a row: dirpipe's columns, then {@code object}'s (for a delete: as last seen).
   *
   * @param partition the Kafka partition the change was read from
   * @param offset its offset there
   */
  public static Record of(
      Schema schema,
      String tenantId,
      String op,
      Source source,
      List<String> changedFields,
      String deleteReason,
      int partition,
      long offset,
      IndexedRecord object) {
    GenericRecord row = GenericRecord.create(schema);
    set(row, "tenant_id", tenantId);
    set(row, "op", op);
    set(row, "valid_from", OffsetDateTime.ofInstant(source.getObservedAt(), ZoneOffset.UTC));
    set(row, "run_id", source.getRunId());
    set(row, "mode", source.getMode().name());
    set(row, "changed_fields", changedFields);
    set(row, "delete_reason", deleteReason);
    set(row, "kafka_partition", partition);
    set(row, "kafka_offset", offset);
    if (object != null) {
      entity(row, schema, object);
    }
    return row;
  }

  /** The columns of {@code schema} that {@code object} has, by name. */
  static void entity(GenericRecord row, Schema schema, IndexedRecord object) {
    org.apache.avro.Schema avro = object.getSchema();
    for (Types.NestedField f : schema.columns()) {
      org.apache.avro.Schema.Field field = avro.getField(f.name());
      if (field != null) {
        row.setField(f.name(), IcebergValues.of(object.get(field.pos()), f.type()));
      }
    }
  }

  /** A row of {@code schema} with the columns of {@code row} it has (a current table's row). */
  static Record project(Record row, Schema schema) {
    GenericRecord out = GenericRecord.create(schema);
    for (Types.NestedField f : schema.columns()) {
      out.setField(f.name(), row.getField(f.name()));
    }
    return out;
  }
}
