package io.dirpipe.sandbox.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dirpipe.sandbox.http.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes one Graph collection page: {@code @odata.context}, optional count, {@code value}, links.
 */
final class PageWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
  private final JsonGenerator json;

  PageWriter(String context, Long count) {
    try {
      json = Exchange.JSON.getFactory().createGenerator(out);
      json.writeStartObject();
      json.writeStringField("@odata.context", context);
      if (count != null) {
        json.writeNumberField("@odata.count", count);
      }
      json.writeArrayFieldStart("value");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes one object with the selected properties (all when {@code select} is null), prefixed by
   * an {@code @odata.type} when given, followed by {@code extra} fields.
   */
  PageWriter object(
      String odataType, Map<String, Object> o, List<String> select, Map<String, Object> extra) {
    try {
      json.writeStartObject();
      if (odataType != null) {
        json.writeStringField("@odata.type", "#" + odataType);
      }
      if (select == null) {
        for (Map.Entry<String, Object> e : o.entrySet()) {
          json.writeFieldName(e.getKey());
          json.writeObject(e.getValue());
        }
      } else {
        for (String p : select) {
          if (!p.equals("members")) {
            json.writeFieldName(p);
            json.writeObject(o.get(p));
          }
        }
      }
      if (extra != null) {
        for (Map.Entry<String, Object> e : extra.entrySet()) {
          json.writeFieldName(e.getKey());
          json.writeObject(e.getValue());
        }
      }
      json.writeEndObject();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] finish(String nextLink, String deltaLink) {
    try {
      json.writeEndArray();
      if (nextLink != null) {
        json.writeStringField("@odata.nextLink", nextLink);
      }
      if (deltaLink != null) {
        json.writeStringField("@odata.deltaLink", deltaLink);
      }
      json.writeEndObject();
      json.close();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
