package io.dirpipe.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's rules of agreement, on counts made up to agree or not. */
class ReconciliationTest {
  static final Map<String, Long> CHANGES = Map.of("CREATE", 1_060L, "UPDATE", 30L, "DELETE", 10L);

  static Mutations mutations() {
    Mutations m = new Mutations();
    m.creates = 10;
    m.updates = 30;
    m.deletes = 10;
    m.edgesAdded = 4;
    m.edgesRemoved = 2;
    return m;
  }

  /** 1,000 users and 50 groups extracted with 700 edges, then the mutations above. */
  static Reconciliation.Counts counts(Map<String, Long> changes, Map<String, Long> lakeRows) {
    return new Reconciliation.Counts(
        Map.of("users", 1_000L, "groups", 50L, "groupOwners", 30L),
        Map.of("users", 1_000L, "groups", 50L, "groupOwners", 30L, "directoryAudits", 120L),
        Map.of("users", 1_000L, "groups", 50L, "groupMembers", 700L, "groupOwners", 30L),
        Map.of("users", 1_000L, "groups", 50L),
        changes,
        Map.of("CREATE", 8L, "DELETE", 1L),
        Map.of("ADD", 704L, "REMOVE", 2L),
        Map.of("ADD", 31L, "REMOVE", 1L),
        Map.of("groupOwners", 30L),
        Map.of("directoryAudits", 120L),
        Map.of("directoryAudits", 120L),
        12,
        mutations(),
        Map.of("changes", 1_109L, "memberships", 706L, "edges", 32L, "events", 120L, "runs", 12L),
        lakeRows);
  }

  static Summary verified() {
    Summary s = new Summary();
    s.verified = true;
    return s;
  }

  @Test
  void countsThatAgreePass() {
    Summary s = verified();
    Reconciliation.check(
        counts(CHANGES, Map.of("changes", 1_109L, "memberships", 706L, "edges", 32L)), s);
    assertThat(s.checks.values()).allMatch(v -> v.startsWith("ok"));
    assertThat(s.checks).hasSize(22);
    assertThat(s.ok()).isTrue();
  }

  @Test
  void anInventedDeletionIsAMismatchNamedByItsRule() {
    Summary s = verified();
    Map<String, Long> invented = Map.of("CREATE", 1_060L, "UPDATE", 30L, "DELETE", 16L);
    Reconciliation.check(
        counts(invented, Map.of("changes", 1_115L, "memberships", 706L, "edges", 32L)), s);
    assertThat(s.ok()).isFalse();
    assertThat(s.checks.get("DELETE = deleted")).isEqualTo("MISMATCH: 16, expected 10");
    assertThat(s.checks.get("CREATE = objects extracted + created")).startsWith("ok");
    assertThat(s.checks.get("Log Analytics change rows = change events"))
        .isEqualTo("MISMATCH: 1109, expected 1115");
  }

  @Test
  void aLostLakeRowIsAMismatch() {
    Summary s = verified();
    Reconciliation.check(
        counts(CHANGES, Map.of("changes", 1_108L, "memberships", 706L, "edges", 32L)), s);
    assertThat(s.checks.get("lake change rows = change events"))
        .isEqualTo("MISMATCH: 1108, expected 1109");
  }
}
