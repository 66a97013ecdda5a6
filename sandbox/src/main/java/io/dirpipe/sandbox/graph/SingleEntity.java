package io.dirpipe.sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.http.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns a one-object page into an entity answer: the object with the page's {@code @odata.context}.
 */
final class SingleEntity {
  private SingleEntity() {}

  static byte[] unwrap(byte[] page) {
    try {
      JsonNode root = Exchange.JSON.readTree(page);
      ObjectNode entity = Exchange.JSON.createObjectNode();
      entity.put("@odata.context", root.path("@odata.context").asText());
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("value").get(0).fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        entity.set(e.getKey(), e.getValue());
      }
      return Exchange.JSON.writeValueAsBytes(entity);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
