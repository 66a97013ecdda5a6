package io.dirpipe.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Reads what {@link PlainJson} writes back into dirpipe's records, guided by the reader's schema: a
 * field the JSON lacks takes its default (a record written by an older dirpipe), a JSON field the
 * schema lacks is ignored (written by a newer one). A union takes the branch the JSON value fits,
 * first non-null branch first.
 */
public final class PlainJsonReader {
  private PlainJsonReader() {}

  /**
   * @throws IllegalArgumentException naming the field path and what was found
   */
  public static Object read(JsonNode node, Schema schema) {
    return read(node, schema, schema.getName());
  }

  private static Object read(JsonNode node, Schema schema, String path) {
    if (node == null || node.isNull()) {
      if (schema.getType() == Schema.Type.NULL
          || (schema.getType() == Schema.Type.UNION && schema.getIndexNamed("null") != null)) {
        return null;
      }
      throw new IllegalArgumentException(path + " is null, expected " + schema.getType());
    }
    return switch (schema.getType()) {
      case RECORD -> record(node, schema, path);
      case UNION -> union(node, schema, path);
      case ARRAY -> {
        expect(node.isArray(), path, "an array", node);
        List<Object> list = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode item : node) {
          list.add(read(item, schema.getElementType(), path + "[" + i++ + "]"));
        }
        yield list;
      }
      case MAP -> {
        expect(node.isObject(), path, "an object", node);
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), read(e.getValue(), schema.getValueType(), path + "." + e.getKey()));
        }
        yield map;
      }
      case STRING -> {
        expect(node.isTextual(), path, "a string", node);
        yield node.asText();
      }
      case ENUM -> {
        expect(node.isTextual() && schema.hasEnumSymbol(node.asText()), path, "a symbol", node);
        yield AvroSerde.MODEL.createEnum(node.asText(), schema);
      }
      case INT -> {
        expect(node.canConvertToInt(), path, "an int", node);
        yield node.asInt();
      }
      case LONG -> longValue(node, schema, path);
      case FLOAT -> (float) number(node, path);
      case DOUBLE -> number(node, path);
      case BOOLEAN -> {
        expect(node.isBoolean(), path, "true or false", node);
        yield node.asBoolean();
      }
      case BYTES -> ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
      case FIXED ->
          AvroSerde.MODEL.createFixed(null, Base64.getDecoder().decode(node.asText()), schema);
      case NULL -> throw new IllegalArgumentException(path + " should be null, is " + node);
    };
  }

  private static Object record(JsonNode node, Schema schema, String path) {
    expect(node.isObject(), path, "an object", node);
    IndexedRecord r = (IndexedRecord) AvroSerde.MODEL.newRecord(null, schema);
    for (Schema.Field f : schema.getFields()) {
      JsonNode v = node.get(f.name());
      if (v == null) {
        for (String alias : f.aliases()) {
          v = v == null ? node.get(alias) : v;
        }
      }
      if (v == null) {
        if (!f.hasDefaultValue()) {
          throw new IllegalArgumentException(
              path + "." + f.name() + " is missing and has no default");
        }
        r.put(f.pos(), AvroSerde.MODEL.deepCopy(f.schema(), AvroSerde.MODEL.getDefaultValue(f)));
      } else {
        r.put(f.pos(), read(v, f.schema(), path + "." + f.name()));
      }
    }
    return r;
  }

  private static Object union(JsonNode node, Schema union, String path) {
    IllegalArgumentException last = null;
    for (Schema branch : union.getTypes()) {
      if (branch.getType() == Schema.Type.NULL || !fits(node, branch)) {
        continue;
      }
      try {
        return read(node, branch, path);
      } catch (IllegalArgumentException e) {
        last = e;
      }
    }
    throw last != null
        ? last
        : new IllegalArgumentException(
            path + ": " + node.getNodeType() + " fits no branch of " + union);
  }

  private static boolean fits(JsonNode node, Schema branch) {
    return switch (branch.getType()) {
      case RECORD, MAP -> node.isObject();
      case ARRAY -> node.isArray();
      case STRING, ENUM, BYTES, FIXED -> node.isTextual();
      case LONG -> node.isIntegralNumber() || (node.isTextual() && isTimestamp(branch));
      case INT -> node.isIntegralNumber();
      case FLOAT, DOUBLE -> node.isNumber();
      case BOOLEAN -> node.isBoolean();
      default -> false;
    };
  }

  private static Object longValue(JsonNode node, Schema schema, String path) {
    if (isTimestamp(schema)) {
      if (node.isIntegralNumber()) {
        return Instant.ofEpochMilli(node.asLong());
      }
      try {
        return Instant.parse(node.asText());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(path + " is not an ISO-8601 time: " + node, e);
      }
    }
    expect(node.isIntegralNumber(), path, "a long", node);
    return node.asLong();
  }

  private static boolean isTimestamp(Schema schema) {
    return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }

  private static double number(JsonNode node, String path) {
    expect(node.isNumber(), path, "a number", node);
    return node.asDouble();
  }

  private static void expect(boolean ok, String path, String what, JsonNode found) {
    if (!ok) {
      throw new IllegalArgumentException(path + " should be " + what + ", is " + abbreviate(found));
    }
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
