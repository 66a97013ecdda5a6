package io.dirpipe.sandbox.graph;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Graph answer before it is sent (so faults and latency can act on its size). */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  static Reply json(int status, byte[] body) {
    return new Reply(
        status,
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
        body,
        new LinkedHashMap<>());
  }

  static Reply text(String text) {
    return new Reply(
        200, "text/plain", text.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
  }

  static Reply empty(int status) {
    return new Reply(status, "application/json", new byte[0], new LinkedHashMap<>());
  }
}
