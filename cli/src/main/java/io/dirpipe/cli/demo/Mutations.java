package io.dirpipe.cli.demo;

import io.dirpipe.sandbox.tenant.Mutator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The burst of changes the demo makes in the tenant, sized from its user count, and what a delta
 * query must then report: objects created, updated and deleted, and membership edges net of the
 * burst (an edge added and removed again never was).
 */
final class Mutations {
  long creates;
  long updates;
  long deletes;
  long edgesAdded;
  long edgesRemoved;

  /** The collections whose creates, updates and deletes the change-event rules count. */
  private static final java.util.Set<String> DEFAULT_OBJECTS =
      java.util.Set.of("users", "groups", "devices", "applications", "servicePrincipals");

  static Mutations apply(Mutator mutator, int users) {
    int u = Math.max(2, users / 200);
    Mutations m = new Mutations();
    List<Mutator.Report> reports =
        List.of(
            mutator.apply(new Mutator.Request("users", u, 3 * u, u / 2, 0, 0, 1)),
            mutator.apply(new Mutator.Request("groups", 2, Math.max(1, u / 5), 1, 0, 0, 2)),
            mutator.apply(new Mutator.Request("devices", 0, u / 2 + 1, 1, 0, 0, 3)),
            mutator.apply(new Mutator.Request("applications", 1, 1, 0, 0, 0, 4)),
            mutator.apply(new Mutator.Request("groupMembers", 0, 0, 0, u / 2 + 1, u / 4 + 1, 5)),
            // the security collections: checked against the tenant's counts, not these reports
            mutator.apply(new Mutator.Request("administrativeUnits", 1, 1, 0, 0, 0, 6)),
            mutator.apply(new Mutator.Request("oauth2PermissionGrants", 0, 1, 1, 0, 0, 7)),
            mutator.apply(new Mutator.Request("groupOwners", 0, 0, 0, 2, 1, 8)),
            mutator.apply(new Mutator.Request("appRoleAssignments", 0, 0, 0, 2, 1, 9)),
            mutator.apply(new Mutator.Request("administrativeUnitMembers", 0, 0, 0, 1, 1, 10)),
            mutator.apply(new Mutator.Request("userManagers", 0, 0, 0, 2, 1, 11)),
            mutator.apply(new Mutator.Request("userRegistrationDetails", 0, 2, 0, 0, 0, 12)),
            mutator.apply(new Mutator.Request("roleEligibilitySchedules", 2, 0, 0, 0, 0, 13)),
            mutator.apply(new Mutator.Request("roleAssignmentSchedules", 1, 0, 0, 0, 0, 14)),
            mutator.apply(new Mutator.Request("conditionalAccessPolicies", 0, 1, 0, 0, 0, 15)));
    // in order: a deleted object leaves its groups (REMOVE edges), then edges are added and removed
    Map<String, List<String>> opsByEdge = new LinkedHashMap<>();
    for (Mutator.Report r : reports) {
      m.add(r);
      if (!r.collection().equals("groupMembers") && !DEFAULT_OBJECTS.contains(r.collection())) {
        continue;
      }
      for (Map<String, Object> e : r.memberships()) {
        opsByEdge
            .computeIfAbsent(e.get("groupId") + "/" + e.get("memberId"), k -> new ArrayList<>())
            .add((String) e.get("op"));
      }
    }
    for (List<String> ops : opsByEdge.values()) {
      String first = ops.get(0);
      String last = ops.get(ops.size() - 1);
      if (first.equals(last)) {
        if (last.equals("ADD")) {
          m.edgesAdded++;
        } else {
          m.edgesRemoved++;
        }
      }
    }
    return m;
  }

  private void add(Mutator.Report r) {
    if (!DEFAULT_OBJECTS.contains(r.collection())) {
      return;
    }
    creates += r.created().size();
    updates += r.updated().size();
    deletes += r.deleted().size();
  }

  String describe() {
    return String.format(
        "%d created, %d updated, %d deleted; membership edges: %d added, %d removed",
        creates, updates, deletes, edgesAdded, edgesRemoved);
  }
}
