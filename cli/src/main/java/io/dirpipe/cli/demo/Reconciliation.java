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
   * @param changes change events of the default collections by op (CREATE, UPDATE, DELETE)
   * @param securityChanges change events of the other object collections (roles, PIM, units,
   *     grants, policies) by op: derived from the tenant, so checked against its counts only
   * @param memberships membership events by op (ADD, REMOVE)
   * @param edges edge events (changes.edges) by op (ADD, REMOVE)
   * @param edgeInventory live edges per kind in inventory.edges
   * @param events events published per stream (events.directoryAudits, events.signIns)
   * @param distinctEvents distinct event ids published per stream
   * @param runEvents events in the runs topic
   * @param mutations what the demo changed in the tenant
   * @param logAnalytics rows ingested per stream kind (changes, memberships, edges, events, runs)
   * @param lakeRows rows in the lake per dataset kind (changes, memberships, edges)
   */
  record Counts(
      Map<String, Long> tenantBefore,
      Map<String, Long> tenantAfter,
      Map<String, Long> extracted,
      Map<String, Long> inventory,
      Map<String, Long> changes,
      Map<String, Long> securityChanges,
      Map<String, Long> memberships,
      Map<String, Long> edges,
      Map<String, Long> edgeInventory,
      Map<String, Long> events,
      Map<String, Long> distinctEvents,
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
    for (var e : c.edgeInventory().entrySet()) {
      String kind = e.getKey();
      summary.check(
          kind + ": extracted = tenant", c.extracted().get(kind), c.tenantBefore().get(kind));
      summary.check(
          kind + ": inventory = tenant after changes", e.getValue(), c.tenantAfter().get(kind));
    }
    long objects =
        c.extracted().entrySet().stream()
            .filter(e -> isDefaultObjects(e.getKey()))
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

    for (var e : c.events().entrySet()) {
      String stream = e.getKey();
      summary.check(
          stream + ": events published = tenant's", e.getValue(), c.tenantAfter().get(stream));
      summary.check(stream + ": each published once", c.distinctEvents().get(stream), e.getValue());
    }
    summary.check(
        "edges ADD - REMOVE = edges in inventory",
        op(c.edges(), "ADD") - op(c.edges(), "REMOVE"),
        sum(c.edgeInventory()));

    long changeEvents = sum(c.changes()) + sum(c.securityChanges());
    long edgeEvents = sum(c.memberships());
    long otherEdgeEvents = sum(c.edges());
    summary.check(
        "Log Analytics change rows = change events", c.logAnalytics().get("changes"), changeEvents);
    summary.check(
        "Log Analytics membership rows = membership events",
        c.logAnalytics().get("memberships"),
        edgeEvents);
    summary.check(
        "Log Analytics edge rows = edge events",
        c.logAnalytics().getOrDefault("edges", 0L),
        otherEdgeEvents);
    summary.check(
        "Log Analytics event rows = events published",
        c.logAnalytics().getOrDefault("events", 0L),
        sum(c.events()));
    summary.check(
        "Log Analytics run rows = run events", c.logAnalytics().get("runs"), c.runEvents());
    summary.check(
        "lake change rows = change events", c.lakeRows().getOrDefault("changes", 0L), changeEvents);
    summary.check(
        "lake membership rows = membership events",
        c.lakeRows().getOrDefault("memberships", 0L),
        edgeEvents);
    summary.check(
        "lake edge rows = edge events", c.lakeRows().getOrDefault("edges", 0L), otherEdgeEvents);
  }

  /** The default collections' directory objects: what the demo's mutations change directly. */
  private static boolean isDefaultObjects(String collection) {
    return io.dirpipe.schemas.Collection.find(collection)
        .filter(c -> c.isObjectCollection() && io.dirpipe.schemas.Collection.defaults().contains(c))
        .isPresent();
  }

  private static long op(Map<String, Long> events, String op) {
    return events.getOrDefault(op, 0L);
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
