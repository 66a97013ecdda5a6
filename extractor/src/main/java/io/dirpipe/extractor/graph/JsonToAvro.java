package io.dirpipe.extractor.graph;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads one JSON object from a streaming parser straight into an Avro record of the given schema:
 * no intermediate tree. Properties the schema does not know are skipped; JSON nulls stay null. A
 * field's aliases are the other names it is read from. A record with an {@code extensions} map
 * keeps the {@code extension_*} properties (directory schema extensions) there.
 */
final class JsonToAvro {
  private final Schema schema;
  private final Map<String, Schema.Field> fields = new HashMap<>();
  private final Map<Schema, JsonToAvro> nested = new HashMap<>();

  /**
   * The record's map of directory schema extensions ({@code extension_<appId>_<name>} properties),
   * or null when it has none.
   */
  private final Schema.Field extensions;

  JsonToAvro(Schema schema) {
    this.schema = schema;
    for (Schema.Field f : schema.getFields()) {
      fields.put(f.name(), f);
      // a field whose Graph name the contract cannot use (result) or that Graph spells two ways
      f.aliases().forEach(a -> fields.putIfAbsent(a, f));
    }
    this.extensions = schema.getField("extensions");
  }

  /**
   * Reads the object at the parser's START_OBJECT. {@code special} receives the fields whose name
   * starts with '@' or ends with '@delta' (e.g. {@code @removed}, {@code members@delta}),
   * positioned at their value.
   */
  SpecificRecord read(JsonParser p, SpecialFields special) throws IOException {
    SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      Schema.Field f = fields.get(name);
      if (f != null) {
        record.put(f.pos(), value(p, value, f.schema()));
      } else if (extensions != null && name.startsWith("extension_") && value.isScalarValue()) {
        extension(record, name, value == JsonToken.VALUE_NULL ? null : p.getValueAsString());
      } else if (special != null && (name.startsWith("@") || name.endsWith("@delta"))) {
        special.field(name, p);
      } else {
        p.skipChildren();
      }
    }
    return record;
  }

  /** A directory schema extension, into the record's {@code extensions} map. */
  @SuppressWarnings("unchecked")
  private void extension(SpecificRecord record, String name, String value) {
    Map<String, String> map = (Map<String, String>) record.get(extensions.pos());
    if (map == null) {
      map = new java.util.TreeMap<>();
      record.put(extensions.pos(), map);
    }
    map.put(name, value == null ? "" : value);
  }

  /** Receives the annotation fields of an object. */
  interface SpecialFields {
    void field(String name, JsonParser p) throws IOException;
  }

  private Object value(JsonParser p, JsonToken t, Schema s) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (s.getType() == Schema.Type.UNION) {
      for (Schema branch : s.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return value(p, t, branch);
        }
      }
    }
    switch (s.getType()) {
      case STRING:
        return t.isScalarValue() ? p.getValueAsString() : skip(p);
      case BOOLEAN:
        return t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE
            ? p.getBooleanValue()
            : skip(p);
      case INT:
        return t.isNumeric() ? p.getIntValue() : skip(p);
      case LONG:
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          return t == JsonToken.VALUE_STRING ? instant(p.getText()) : skip(p);
        }
        return t.isNumeric() ? p.getLongValue() : skip(p);
      case ARRAY:
        if (t != JsonToken.START_ARRAY) {
          return skip(p);
        }
        List<Object> items = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          items.add(value(p, e, s.getElementType()));
        }
        return items;
      case RECORD:
        return t == JsonToken.START_OBJECT
            ? nested.computeIfAbsent(s, JsonToAvro::new).read(p, null)
            : skip(p);
      default:
        return skip(p);
    }
  }

  private static Object skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null; // Graph writes ISO-8601 with Z; anything else is not a time dirpipe can trust
    }
  }
}
