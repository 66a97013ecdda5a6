package io.dirpipe.extractor.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Parses a Graph collection page from its body stream: the whole top-level object (next and delta
 * links may come before or after {@code value}), every item straight into Avro. Only a well-formed
 * collection page is a page: a body that ends early, is not JSON, has no {@code value} array (a
 * missing or null {@code value}, an {@code error} object sent with status 200) or holds an item
 * that is not an object throws, so a bad page is retried and then fails its run, and is never taken
 * for the last page of a collection.
 */
public final class PageReader {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonToAvro mapper;

  /**
   * @param entitySchema the record of the items, or null to read only ids and types (member
   *     listings)
   */
  public PageReader(Schema entitySchema) {
    this.mapper = entitySchema == null ? null : new JsonToAvro(entitySchema);
  }

  public Page read(InputStream body, int resourceUnits, double limitPercentage) throws IOException {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the page is not a JSON object");
      }
      return read(p, resourceUnits, limitPercentage);
    }
  }

  /**
   * Reads a page from a parser at the page's opening brace, up to its closing brace (a page inside
   * a JSON batch's response).
   */
  public Page read(JsonParser p, int resourceUnits, double limitPercentage) throws IOException {
    List<Page.Item> items = new ArrayList<>();
    String next = null;
    String delta = null;
    long count = -1;
    boolean value = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals("value")) {
        if (t != JsonToken.START_ARRAY) {
          throw new IOException("the page's value is " + describe(t) + ", not an array");
        }
        value = true;
        JsonToken item;
        while ((item = p.nextToken()) == JsonToken.START_OBJECT) {
          items.add(item(p));
        }
        if (item != JsonToken.END_ARRAY) {
          throw new IOException(
              "item "
                  + (items.size() + 1)
                  + " of the page is "
                  + describe(item)
                  + ", not an object");
        }
      } else if (name.equals("error") && t == JsonToken.START_OBJECT) {
        throw new IOException("the page is an error object, not a collection page" + code(p));
      } else if (name.equals("@odata.nextLink")) {
        next = p.getValueAsString();
      } else if (name.equals("@odata.deltaLink")) {
        delta = p.getValueAsString();
      } else if (name.equals("@odata.count") && t == JsonToken.VALUE_NUMBER_INT) {
        count = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("the page ended before its closing brace");
    }
    if (!value) {
      throw new IOException("the page has no value array: it is not a collection page");
    }
    return new Page(items, next, delta, resourceUnits, limitPercentage, count);
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "cut off";
    }
    return switch (t) {
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  /** {@code " (code X)"} of an error object, read to its end; its message is not repeated. */
  private static String code(JsonParser p) throws IOException {
    String code = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String n = p.currentName();
      p.nextToken();
      if (n.equals("code") && p.currentToken() == JsonToken.VALUE_STRING) {
        code = p.getValueAsString();
      } else {
        p.skipChildren();
      }
    }
    return code == null || !code.matches("[A-Za-z0-9_.-]{1,64}") ? "" : " (code " + code + ")";
  }

  private Page.Item item(JsonParser p) throws IOException {
    String[] removed = {null};
    String[] type = {null};
    String[] id = {null};
    List<Page.MemberRef> members = new ArrayList<>();
    JsonToAvro.SpecialFields special =
        (name, q) -> {
          switch (name) {
            case "@removed" -> removed[0] = reason(q);
            case "@odata.type" -> type[0] = strip(q.getValueAsString());
            case "members@delta" -> members(q, members);
            default -> q.skipChildren();
          }
        };
    if (mapper == null) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("id")) {
          id[0] = p.getValueAsString();
        } else {
          special.field(name, p);
        }
      }
      return new Page.Item(null, id[0], type[0], removed[0], List.of());
    }
    SpecificRecord entity = mapper.read(p, special);
    Object entityId = entity.get(entity.getSchema().getField("id").pos());
    return new Page.Item(
        removed[0] == null ? entity : null,
        entityId == null ? null : entityId.toString(),
        type[0],
        removed[0],
        members);
  }

  private static String reason(JsonParser p) throws IOException {
    String reason = "changed";
    if (p.currentToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String n = p.currentName();
        p.nextToken();
        if (n.equals("reason")) {
          reason = p.getValueAsString();
        } else {
          p.skipChildren();
        }
      }
    }
    return reason;
  }

  private static void members(JsonParser p, List<Page.MemberRef> out) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String id = null;
      String type = null;
      boolean removed = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String n = p.currentName();
        p.nextToken();
        switch (n) {
          case "id" -> id = p.getValueAsString();
          case "@odata.type" -> type = strip(p.getValueAsString());
          case "@removed" -> {
            removed = true;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
      out.add(new Page.MemberRef(id, type, removed));
    }
  }

  private static String strip(String odataType) {
    return odataType == null ? null : odataType.replace("#microsoft.graph.", "");
  }
}
