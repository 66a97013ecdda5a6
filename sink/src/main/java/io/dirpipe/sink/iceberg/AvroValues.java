package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.serde.AvroSerde;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.iceberg.data.Record;

/**
 * Iceberg's generic values read from the lake as dirpipe's Avro values: the reverse of {@link
 * IcebergValues}.
 */
final class AvroValues {
  private AvroValues() {}

  /** The entity's columns of a row as dirpipe's record. */
  static IndexedRecord entity(Record row, Schema schema) {
    IndexedRecord out = (IndexedRecord) AvroSerde.MODEL.newRecord(null, schema);
    for (Schema.Field f : schema.getFields()) {
      out.put(f.pos(), of(row.getField(f.name()), f.schema()));
    }
    return out;
  }

  /**
   * An Iceberg generic value as the Avro value of {@code schema} (a union: its non-null branch).
   */
  static Object of(Object value, Schema schema) {
    if (value == null) {
      return null;
    }
    return switch (schema.getType()) {
      case UNION -> {
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            yield of(value, branch);
          }
        }
        yield null;
      }
      case RECORD -> {
        Record r = (Record) value;
        IndexedRecord out = (IndexedRecord) AvroSerde.MODEL.newRecord(null, schema);
        for (Schema.Field f : schema.getFields()) {
          out.put(f.pos(), of(r.getField(f.name()), f.schema()));
        }
        yield out;
      }
      case ARRAY -> {
        List<Object> out = new ArrayList<>();
        ((List<?>) value).forEach(v -> out.add(of(v, schema.getElementType())));
        yield out;
      }
      case MAP -> {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> out.put(k.toString(), of(v, schema.getValueType())));
        yield out;
      }
      case ENUM -> AvroSerde.MODEL.createEnum(value.toString(), schema);
      case LONG -> value instanceof OffsetDateTime t ? t.toInstant() : value;
      default -> value;
    };
  }
}
