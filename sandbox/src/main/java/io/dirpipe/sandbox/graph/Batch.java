package io.dirpipe.sandbox.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.http.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * JSON batching ({@code POST /$batch}): up to {@value #MAX_REQUESTS} requests in one body, each
 * answered as if it had come alone (its own routing, permissions, RU and faults, a 429 with its own
 * {@code Retry-After} among 200s), all in one {@code {"responses": [...]}} with status 200. A batch
 * costs no RU of its own; its requests pay theirs.
 */
final class Batch {
  static final int MAX_REQUESTS = 20;

  /** One request of the batch, answered. */
  record Answered(String id, Reply reply) {}

  private Batch() {}

  /**
   * Parses the batch, answers each request with {@code answer} (in order, so a {@code dependsOn}
   * holds by construction) and writes the responses.
   */
  static Reply run(Exchange batch, String version, Function<Exchange, Reply> answer)
      throws IOException {
    JsonNode requests;
    try {
      requests = Exchange.JSON.readTree(batch.body()).path("requests");
    } catch (IOException e) {
      throw GraphError.badRequest("Invalid batch payload format: the body is not JSON.");
    }
    if (!requests.isArray() || requests.isEmpty()) {
      throw GraphError.badRequest("Invalid batch payload format: no requests array.");
    }
    if (requests.size() > MAX_REQUESTS) {
      throw GraphError.badRequest(
          "Number of batch requests exceeds the limit of " + MAX_REQUESTS + ".");
    }
    Set<String> ids = new HashSet<>();
    List<Exchange> inner = new ArrayList<>();
    for (JsonNode r : requests) {
      String id = r.path("id").asText("");
      String url = r.path("url").asText("");
      if (id.isEmpty() || url.isEmpty() || !r.path("method").isTextual()) {
        throw GraphError.badRequest(
            "Invalid batch payload format: every request needs an id, a method and a url.");
      }
      if (!ids.add(id)) {
        throw GraphError.badRequest("Invalid batch payload format: duplicate request id " + id);
      }
      if (url.startsWith("http:") || url.startsWith("https:")) {
        throw GraphError.badRequest("Invalid batch payload format: urls are relative.");
      }
      int q = url.indexOf('?');
      String path =
          "/" + version + "/" + (q < 0 ? url : url.substring(0, q)).replaceFirst("^/", "");
      Map<String, String> headers = new LinkedHashMap<>();
      r.path("headers")
          .fields()
          .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
      inner.add(
          Exchange.inner(
              batch,
              r.path("method").asText().toUpperCase(java.util.Locale.ROOT),
              path,
              q < 0 ? null : url.substring(q + 1),
              headers));
    }
    List<Answered> answered = new ArrayList<>();
    int i = 0;
    for (JsonNode r : requests) {
      answered.add(new Answered(r.path("id").asText(), answer.apply(inner.get(i++))));
    }
    return Reply.json(200, write(answered));
  }

  private static byte[] write(List<Answered> answered) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Exchange.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("responses");
      for (Answered a : answered) {
        Reply reply = a.reply();
        g.writeStartObject();
        g.writeStringField("id", a.id());
        g.writeNumberField("status", reply.status());
        g.writeObjectFieldStart("headers");
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
          g.writeStringField(h.getKey(), h.getValue());
        }
        g.writeStringField("Content-Type", reply.contentType());
        g.writeEndObject();
        if (reply.body().length > 0) {
          g.writeFieldName("body");
          if (reply.contentType().startsWith("application/json")) {
            g.writeRawValue(new String(reply.body(), StandardCharsets.UTF_8));
          } else {
            g.writeString(new String(reply.body(), StandardCharsets.UTF_8));
          }
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}
