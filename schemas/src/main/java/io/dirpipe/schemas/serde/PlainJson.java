package io.dirpipe.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro values as the JSON a person or Log Analytics expects: records as objects, unions as their
 * value (not Avro's {"string": ...} wrapper), timestamps as ISO-8601 strings, bytes as base64.
 */
public final class PlainJson {
  private PlainJson() {}

  /** Writes {@code value} of {@code schema} as one JSON value. */
  public static void write(JsonGenerator g, Object value, Schema schema) throws IOException {
    if (value == null) {
      g.writeNull();
      return;
    }
    switch (schema.getType()) {
      case RECORD -> {
        g.writeStartObject();
        writeFields(g, (IndexedRecord) value);
        g.writeEndObject();
      }
      case UNION -> write(g, value, schema.getTypes().get(branch(schema, value)));
      case ARRAY -> {
        g.writeStartArray();
        for (Object item : (List<?>) value) {
          write(g, item, schema.getElementType());
        }
        g.writeEndArray();
      }
      case MAP -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          g.writeFieldName(e.getKey().toString());
          write(g, e.getValue(), schema.getValueType());
        }
        g.writeEndObject();
      }
      case STRING, ENUM -> g.writeString(value.toString());
      case INT -> g.writeNumber((Integer) value);
      case LONG -> {
        if (value instanceof Instant i) {
          g.writeString(i.toString());
        } else {
          g.writeNumber((Long) value);
        }
      }
      case FLOAT -> g.writeNumber((Float) value);
      case DOUBLE -> g.writeNumber((Double) value);
      case BOOLEAN -> g.writeBoolean((Boolean) value);
      case BYTES -> g.writeString(base64(((ByteBuffer) value).duplicate()));
      case FIXED ->
          g.writeString(Base64.getEncoder().encodeToString(((GenericData.Fixed) value).bytes()));
      case NULL -> g.writeNull();
    }
  }

  /** Writes the fields of a record into the JSON object being written. */
  public static void writeFields(JsonGenerator g, IndexedRecord r) throws IOException {
    for (Schema.Field f : r.getSchema().getFields()) {
      g.writeFieldName(f.name());
      write(g, r.get(f.pos()), f.schema());
    }
  }

  private static int branch(Schema union, Object value) {
    return AvroSerde.MODEL.resolveUnion(union, value);
  }

  private static String base64(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
