package io.dirpipe.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What the demo counted at each stage, and whether the counts agree. */
public final class Summary {
  final Map<String, Long> extracted = new TreeMap<>();
  final Map<String, Long> inventory = new TreeMap<>();
  final Map<String, Long> changes = new TreeMap<>();
  final Map<String, Long> securityChanges = new TreeMap<>();
  final Map<String, Long> memberships = new TreeMap<>();
  final Map<String, Long> edges = new TreeMap<>();
  final Map<String, Long> edgeInventory = new TreeMap<>();
  final Map<String, Long> events = new TreeMap<>();
  final Map<String, Long> distinctEvents = new TreeMap<>();
  final Map<String, Long> lake = new LinkedHashMap<>();
  final Map<String, Long> logAnalytics = new LinkedHashMap<>();
  final Map<String, Long> throttling = new LinkedHashMap<>();
  final Map<String, Double> stages = new LinkedHashMap<>();
  final Map<String, String> checks = new LinkedHashMap<>();
  boolean verified;
  int verifiedRuns;
  long throttled;
  double seconds;
  JsonNode transform;
  private boolean allAgree = true;

  /**
   * Records of the first FULL run per collection (edge collections are read whole in delta runs
   * too: the first is the extraction the tenant's counts before the changes describe); 429s of
   * every run.
   */
  void addRuns(JsonNode extractJson) {
    for (JsonNode r : extractJson.path("runs")) {
      if (r.path("mode").asText().equalsIgnoreCase("full")) {
        extracted.putIfAbsent(r.path("collection").asText(), r.path("records").asLong());
      }
      throttled += r.path("throttled").asLong();
    }
  }

  void check(String what, Long actual, Long expected) {
    boolean ok = actual != null && actual.equals(expected);
    allAgree &= ok;
    checks.put(what, ok ? "ok (" + actual + ")" : "MISMATCH: " + actual + ", expected " + expected);
  }

  /** True when every count agrees and every run verified. */
  public boolean ok() {
    return allAgree && verified;
  }

  /** The summary as one JSON object (the keys of {@code dirpipe demo --json}). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", ok());
    m.put("extracted", extracted);
    m.put("inventory", inventory);
    m.put("changes", changes);
    m.put("securityChanges", securityChanges);
    m.put("memberships", memberships);
    m.put("edges", edges);
    m.put("edgeInventory", edgeInventory);
    m.put("events", events);
    m.put("lake", lake);
    m.put("logAnalytics", logAnalytics);
    m.put("throttling", throttling);
    m.put("verified", verified);
    m.put("verifiedRuns", verifiedRuns);
    m.put("checks", checks);
    m.put("stages", stages);
    m.put("seconds", seconds);
    return m;
  }

  /** The summary table of a terminal run. */
  public void print(PrintWriter out) {
    out.println();
    out.printf("%-26s %12s %12s%n", "collection", "extracted", "inventory");
    extracted.forEach(
        (c, n) ->
            out.printf(
                "%-26s %12d %12s%n",
                c,
                n,
                inventory.containsKey(c)
                    ? inventory.get(c)
                    : edgeInventory.containsKey(c) ? edgeInventory.get(c) : "-"));
    out.printf("change events       %s, security objects %s%n", changes, securityChanges);
    out.printf("membership edges    %s, other edges %s%n", memberships, edges);
    out.printf("events published    %s%n", events);
    out.printf("lake                %s%nLog Analytics rows  %s%n", lake, logAnalytics);
    out.printf("throttling          %s%n", throttling);
    out.printf("runs verified       %d, %s%n", verifiedRuns, verified ? "all" : "NOT all");
    stages.forEach((s, t) -> out.printf(Locale.ROOT, "  %-62s %6.1f s%n", s, t));
    out.println("checks:");
    checks.forEach((c, r) -> out.printf("  %-52s %s%n", c, r));
    out.printf(
        Locale.ROOT,
        "%s in %.1f s%n",
        ok() ? "Every count agrees." : "COUNTS DO NOT AGREE.",
        seconds);
    out.flush();
  }
}
