package io.dirpipe.sandbox.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters the control API reports: requests by route and status, and named totals. */
public final class Stats {
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();

  public void request(String route, int status) {
    requests.computeIfAbsent(route + " " + status, k -> new LongAdder()).increment();
  }

  public void add(String counter, long amount) {
    totals.computeIfAbsent(counter, k -> new LongAdder()).add(amount);
  }

  public long total(String counter) {
    LongAdder a = totals.get(counter);
    return a == null ? 0 : a.sum();
  }

  /** Requests with that route (e.g. {@code GET /users}) and status. */
  public long requests(String route, int status) {
    LongAdder a = requests.get(route + " " + status);
    return a == null ? 0 : a.sum();
  }

  public Map<String, Object> snapshot() {
    Map<String, Long> r = new TreeMap<>();
    requests.forEach((k, v) -> r.put(k, v.sum()));
    Map<String, Long> t = new TreeMap<>();
    totals.forEach((k, v) -> t.put(k, v.sum()));
    return Map.of("requests", r, "totals", t);
  }

  public void reset() {
    requests.clear();
    totals.clear();
  }
}
