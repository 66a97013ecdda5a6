package io.dirpipe.sandbox.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Rows received per stream, kept (up to a cap per stream) for tests and the demo to inspect. */
public final class Ingested {
  private final int keepPerStream;
  private final Map<String, List<JsonNode>> rows = new ConcurrentHashMap<>();
  private final Map<String, Long> counts = new ConcurrentHashMap<>();

  public Ingested(int keepPerStream) {
    this.keepPerStream = keepPerStream;
  }

  void add(String stream, JsonNode array) {
    List<JsonNode> kept = rows.computeIfAbsent(stream, k -> new ArrayList<>());
    synchronized (kept) {
      for (JsonNode row : array) {
        if (kept.size() < keepPerStream) {
          kept.add(row);
        }
      }
    }
    counts.merge(stream, (long) array.size(), Long::sum);
  }

  public Map<String, Long> counts() {
    return new TreeMap<>(counts);
  }

  public List<JsonNode> rows(String stream) {
    List<JsonNode> kept = rows.getOrDefault(stream, List.of());
    synchronized (kept) {
      return List.copyOf(kept);
    }
  }

  public void clear() {
    rows.clear();
    counts.clear();
  }
}
