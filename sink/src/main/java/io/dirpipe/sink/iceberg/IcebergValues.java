package io.dirpipe.sink.iceberg;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** dirpipe's Avro values as Iceberg's generic values of the column's type. */
final class IcebergValues {
  private IcebergValues() {}

  static Object of(Object value, Type type) {
    if (value == null) {
      return null;
    }
    return switch (type.typeId()) {
      case STRUCT -> struct((IndexedRecord) value, type.asStructType());
      case LIST -> {
        List<Object> out = new ArrayList<>();
        for (Object item : (List<?>) value) {
          out.add(of(item, type.asListType().elementType()));
        }
        yield out;
      }
      case MAP -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) value)
            .forEach((k, v) -> out.put(k.toString(), of(v, type.asMapType().valueType())));
        yield out;
      }
      case TIMESTAMP -> OffsetDateTime.ofInstant(instant(value), ZoneOffset.UTC);
      case STRING -> value.toString();
      case BINARY -> ((ByteBuffer) value).duplicate();
      default -> value;
    };
  }

  /** The fields of an Avro record by name into a new Iceberg record of that struct. */
  static GenericRecord struct(IndexedRecord avro, Types.StructType struct) {
    GenericRecord out = GenericRecord.create(struct);
    org.apache.avro.Schema schema = avro.getSchema();
    for (Types.NestedField f : struct.fields()) {
      org.apache.avro.Schema.Field field = schema.getField(f.name());
      if (field != null) {
        out.setField(f.name(), of(avro.get(field.pos()), f.type()));
      }
    }
    return out;
  }

  private static Instant instant(Object value) {
    return value instanceof Instant i ? i : Instant.ofEpochMilli(((Number) value).longValue());
  }
}
