package io.dirpipe.sandbox.graph;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Opaque {@code $skiptoken} / {@code $deltatoken} values: a few fields, base64url-encoded. */
final class Cursor {
  private Cursor() {}

  static String encode(Map<String, String> fields) {
    StringBuilder s = new StringBuilder("v1");
    fields.forEach((k, v) -> s.append('\n').append(k).append('=').append(v));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws GraphError 400 when the token was not made by the sandbox
   */
  static Map<String, String> decode(String token, String what) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] lines = text.split("\n");
      if (!lines[0].equals("v1")) {
        throw new IllegalArgumentException();
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int eq = lines[i].indexOf('=');
        fields.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
      }
      return fields;
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw GraphError.badRequest("The " + what + " is not valid.");
    }
  }

  static int intField(Map<String, String> fields, String name, String what) {
    try {
      return Integer.parseInt(fields.get(name));
    } catch (NumberFormatException e) {
      throw GraphError.badRequest("The " + what + " is not valid.");
    }
  }

  static long longField(Map<String, String> fields, String name, String what) {
    try {
      return Long.parseLong(fields.get(name));
    } catch (NumberFormatException e) {
      throw GraphError.badRequest("The " + what + " is not valid.");
    }
  }
}
