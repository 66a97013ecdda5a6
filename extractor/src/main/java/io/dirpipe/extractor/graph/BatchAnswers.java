package io.dirpipe.extractor.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the body of a JSON batch's answer ({@code {"responses": [{"id", "status", "headers",
 * "body"}, ...]}}) as it streams in, handing each answer's body to a handler still unparsed, so a
 * page of members inside a batch is read as straight into Avro as a page on its own. An answer
 * whose body comes before its id or status is held as bytes until they are known.
 */
public final class BatchAnswers {
  private static final JsonFactory JSON = new JsonFactory();

  /** What is done with each answer of a batch. */
  @FunctionalInterface
  public interface Handler {
    /**
     * One answer.
     *
     * @param headers its headers, by case-insensitive name
     * @param body a parser at the body's first token, to be read to the body's end; null when the
     *     answer has no body
     */
    void answer(String id, int status, Map<String, String> headers, JsonParser body)
        throws IOException;
  }

  private BatchAnswers() {}

  static void read(InputStream in, Handler handler) throws IOException {
    boolean responses = false;
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the batch answer is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("responses") && t == JsonToken.START_ARRAY) {
          responses = true;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            answer(p, handler);
          }
          if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IOException("an answer of the batch is not an object");
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new IOException("the batch answer ended before its closing brace");
      }
    }
    if (!responses) {
      throw new IOException("the batch answer has no responses array");
    }
  }

  private static void answer(JsonParser p, Handler handler) throws IOException {
    String id = null;
    int status = -1;
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byte[] heldBody = null;
    boolean handled = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> id = p.getValueAsString();
        case "status" -> status = p.getValueAsInt(-1);
        case "headers" -> {
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String h = p.currentName();
              p.nextToken();
              headers.put(h, p.getValueAsString());
              p.skipChildren();
            }
          } else {
            p.skipChildren();
          }
        }
        case "body" -> {
          if (id != null && status >= 0 && !handled) {
            handler.answer(id, status, headers, p);
            handled = true;
          } else {
            heldBody = copy(p);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (id == null || status < 0) {
      throw new IOException("an answer of the batch has no id or status");
    }
    if (handled) {
      return;
    }
    if (heldBody == null) {
      handler.answer(id, status, headers, null);
      return;
    }
    try (JsonParser body = JSON.createParser(heldBody)) {
      body.nextToken();
      handler.answer(id, status, headers, body);
    }
  }

  private static byte[] copy(JsonParser p) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.copyCurrentStructure(p);
    }
    return out.toByteArray();
  }

  /** The body as text (an error's body), read to its end. */
  static String text(JsonParser body) throws IOException {
    if (body == null) {
      return "";
    }
    if (body.currentToken() == JsonToken.VALUE_STRING) {
      return body.getValueAsString();
    }
    return new String(copy(body), java.nio.charset.StandardCharsets.UTF_8);
  }
}
