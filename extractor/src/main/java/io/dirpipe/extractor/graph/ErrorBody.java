package io.dirpipe.extractor.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The code and message of an error answer. Graph's shape is {@code {"error": {"code", "message",
 * "innerError"}}} (https://learn.microsoft.com/graph/errors); a gateway or proxy may answer HTML or
 * plain text instead, whose content is not repeated (it can be a whole page), only its kind.
 */
final class ErrorBody {
  private static final JsonFactory JSON = new JsonFactory();

  private ErrorBody() {}

  /** {code or null, message or a description of the body}. */
  static String[] codeAndMessage(String body, String contentType) {
    if (body == null || body.isBlank()) {
      return new String[] {null, "(no body)"};
    }
    String code = null;
    String message = null;
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (p.nextToken() == JsonToken.START_OBJECT && name.equals("error")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String n = p.currentName();
              p.nextToken();
              if (n.equals("code")) {
                code = p.getValueAsString();
              } else if (n.equals("message")) {
                message = p.getValueAsString();
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
      }
    } catch (IOException notJson) {
      // described below
    }
    if (code == null && message == null) {
      String type = contentType == null ? "no content type" : contentType.split(";")[0].trim();
      return new String[] {
        null, "a " + type + " body of " + body.length() + " characters, not a Graph error"
      };
    }
    return new String[] {code, message};
  }
}
