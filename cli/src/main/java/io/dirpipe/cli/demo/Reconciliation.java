package io.dirpipe.cli.demo;

import java.util.Map;

/**
 * What must agree with what at the end of {@code dirpipe demo}: arithmetic over counts the demo
 * gathered from the tenant, the topics and the sinks, kept apart from the gathering so each rule is
 * unit-tested. Every rule is one line of the summary's checks.
 */
final class Reconciliation {
  /**
   * The demo's observations.
   *
   * @param tenantBefore objects per collection before the changes (the sandbox's own count)
   * @param tenantAfter objects per collection after them
   * @param extracted records of each FULL run, by collection ({@code groupMembers}: edges)
   * @param inventory live objects per collection in the inventory topics
   * @param changes change events by op (CREATE, UPDATE, DELETE)
   * @param memberships membership events by op (ADD, REMOVE)
   * @param runEvents events in the runs topic
   * @param mutations what the demo changed in the tenant
   * @param logAnalytics rows ingested per stream kind (changes, memberships, runs)
   * @param lakeRows rows in the lake per dataset kind (changes, memberships)
   */
  record Counts(
      Map<String, Long> tenantBefore,
      Map<String, Long> tenantAfter,
      Map<String, Long> extracted,
      Map<String, Long> inventory,
      Map<String, Long> changes,
      Map<String, Long> memberships,
      long runEvents,
      Mutations mutations,
      Map<String, Long> logAnalytics,
      Map<String, Long> lakeRows) {}

  private Reconciliation() {}

  /** Adds every rule's outcome to the summary's checks. */
  static void check(Counts c, Summary summary) {
    for (var e : c.inventory().entrySet()) {
      String name = e.getKey();
      summary.check(
          name + ": extracted = tenant", c.extracted().get(name), c.tenantBefore().get(name));
      summary.check(
          name + ": inventory = tenant after changes", e.getValue(), c.tenantAfter().get(name));
    }
    long objects =
        c.extracted().entrySet().stream()
            .filter(e -> !e.getKey().equals("groupMembers"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    Mutations m = c.mutations();
    summary.check(
        "CREATE = objects extracted + created", op(c.changes(), "CREATE"), objects + m.creates);
    summary.check("UPDATE = updated", op(c.changes(), "UPDATE"), m.updates);
    summary.check("DELETE = deleted", op(c.changes(), "DELETE"), m.deletes);
    summary.check(
        "ADD = edges extracted + added",
        op(c.memberships(), "ADD"),
        c.extracted().getOrDefault("groupMembers", 0L) + m.edgesAdded);
    summary.check("REMOVE = edges removed", op(c.memberships(), "REMOVE"), m.edgesRemoved);

    long changeEvents = sum(c.changes());
    long edgeEvents = sum(c.memberships());
    summary.check(
        "Log Analytics change rows = change events", c.logAnalytics().get("changes"), changeEvents);
    summary.check(
        "Log Analytics membership rows = membership events",
        c.logAnalytics().get("memberships"),
        edgeEvents);
    summary.check(
        "Log Analytics run rows = run events", c.logAnalytics().get("runs"), c.runEvents());
    summary.check(
        "lake change rows = change events", c.lakeRows().getOrDefault("changes", 0L), changeEvents);
    summary.check(
        "lake membership rows = membership events",
        c.lakeRows().getOrDefault("memberships", 0L),
        edgeEvents);
  }

  private static long op(Map<String, Long> events, String op) {
    return events.getOrDefault(op, 0L);
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
