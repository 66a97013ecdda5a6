package io.dirpipe.sandbox.tenant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random, seeded changes of the tenant, the way a directory changes: new objects, edited
 * properties, deletions and membership changes. Each is logged, so the next delta query returns it.
 */
public final class Mutator {
  /** How many of each change to make in one collection ({@code groupMembers}: adds and removes). */
  public record Request(
      String collection, int creates, int updates, int deletes, int adds, int removes, long seed) {}

  /**
   * What changed: ids created, ids updated with the properties changed, ids deleted, membership
   * edges (groupMembers: the adds and removes; other collections: the edges each deleted object
   * took out of the live graph).
   */
  public record Report(
      String collection,
      List<String> created,
      List<Map<String, Object>> updated,
      List<String> deleted,
      List<Map<String, Object>> memberships) {}

  /**
   * Users assigned to apps (default access): edges from the user to the app's service principal,
   * qualified by the app role.
   */
  private static final String APP_ROLE_ASSIGNMENTS = "appRoleAssignments";

  /** The edge collections a mutation can change, with their parents' kind. */
  private static final Map<String, Kind> EDGES =
      Map.of(
          "groupOwners",
          Kind.GROUP,
          "applicationOwners",
          Kind.APPLICATION,
          "servicePrincipalOwners",
          Kind.SERVICE_PRINCIPAL,
          "directoryRoleMembers",
          Kind.DIRECTORY_ROLE,
          "administrativeUnitMembers",
          Kind.ADMINISTRATIVE_UNIT,
          APP_ROLE_ASSIGNMENTS,
          Kind.SERVICE_PRINCIPAL,
          "userManagers",
          Kind.USER);

  private final Tenant tenant;

  /** True for collections of edges (changed by adds and removes, not creates and updates). */
  public static boolean isEdges(String collection) {
    return collection.equals("groupMembers") || EDGES.containsKey(collection);
  }

  public Mutator(Tenant tenant) {
    this.tenant = tenant;
  }

  public synchronized Report apply(Request r) {
    SplittableRandom random = new SplittableRandom(r.seed());
    if (r.collection().equals("groupMembers")) {
      return new Report(r.collection(), List.of(), List.of(), List.of(), members(r, random));
    }
    if (r.collection().equals("userRegistrationDetails")) {
      return registrations(r, random);
    }
    if (r.collection().equals("roleEligibilitySchedules")
        || r.collection().equals("roleAssignmentSchedules")) {
      return pim(r, random);
    }
    if (r.collection().equals("conditionalAccessPolicies")) {
      return policies(r, random);
    }
    Kind parent = EDGES.get(r.collection());
    if (parent != null) {
      return new Report(r.collection(), List.of(), List.of(), List.of(), edges(r, parent, random));
    }
    Kind kind = Kind.ofSegment(r.collection());
    if (kind == null || kind == Kind.DIRECTORY_ROLE) {
      throw new IllegalArgumentException(
          "Cannot mutate collection '"
              + r.collection()
              + "': use users, groups, devices, applications, servicePrincipals, administrativeUnits,"
              + " oauth2PermissionGrants, userRegistrationDetails, roleEligibilitySchedules,"
              + " roleAssignmentSchedules, conditionalAccessPolicies, groupMembers or "
              + String.join(", ", EDGES.keySet()));
    }
    ObjectStore store = tenant.store(kind);
    Set<String> touched = new HashSet<>();
    List<Map<String, Object>> updated = new ArrayList<>();
    for (int i = 0; i < r.updates(); i++) {
      String id = pickLive(store, random, touched);
      if (id != null) {
        List<String> fields = store.mutate(id, random.nextLong());
        if (!fields.isEmpty()) {
          updated.add(Map.of("id", id, "changedFields", fields));
          audit("Update", kind, id);
        }
      }
    }
    List<String> deleted = new ArrayList<>();
    List<Map<String, Object>> leftGroups = new ArrayList<>();
    for (int i = 0; i < r.deletes(); i++) {
      String id = pickLive(store, random, touched);
      List<Memberships.Edge> gone = id == null ? null : tenant.delete(kind, id);
      if (gone != null) {
        deleted.add(id);
        audit("Delete", kind, id);
        for (Memberships.Edge e : gone) {
          leftGroups.add(
              Map.of(
                  "op",
                  "REMOVE",
                  "groupId",
                  e.groupId(),
                  "memberId",
                  e.memberId(),
                  "memberType",
                  e.memberType()));
        }
      }
    }
    List<String> created = new ArrayList<>();
    for (int i = 0; i < r.creates(); i++) {
      Map<String, Object> object = tenant.generatorSample(kind, store.positions());
      if (object.containsKey("createdDateTime")) {
        // Graph stamps an object when it is created, to the second
        object.put(
            "createdDateTime",
            tenant.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      }
      String id = store.create(object);
      created.add(id);
      audit("Add", kind, id);
    }
    return new Report(r.collection(), created, updated, deleted, leftGroups);
  }

  private List<Map<String, Object>> members(Request r, SplittableRandom random) {
    List<Map<String, Object>> changes = new ArrayList<>();
    Memberships m = tenant.memberships();
    ObjectStore groups = tenant.store(Kind.GROUP);
    ObjectStore users = tenant.store(Kind.USER);
    for (int i = 0, tries = 0; i < r.adds() && tries < r.adds() * 20; tries++) {
      String group = pickLive(groups, random, new HashSet<>());
      String user = pickLive(users, random, new HashSet<>());
      if (group != null && user != null && m.add(tenant.ids().indexOf(group), user, "user")) {
        changes.add(Map.of("op", "ADD", "groupId", group, "memberId", user, "memberType", "user"));
        tenant
            .auditLog()
            .audit("Add member to group", "GroupManagement", "Group", group, Duration.ZERO);
        i++;
      }
    }
    for (int i = 0, tries = 0; i < r.removes() && tries < r.removes() * 20; tries++) {
      String group = pickLive(groups, random, new HashSet<>());
      if (group == null) {
        break;
      }
      int g = tenant.ids().indexOf(group);
      int positions = m.positions(g);
      Memberships.Member member = positions == 0 ? null : m.at(g, random.nextInt(positions));
      if (member != null && m.remove(g, member.id())) {
        changes.add(
            Map.of(
                "op",
                "REMOVE",
                "groupId",
                group,
                "memberId",
                member.id(),
                "memberType",
                member.type()));
        i++;
      }
    }
    return changes;
  }

  /** Adds and removes users as owners (role members): {op, kind, fromId, toId} each. */
  private List<Map<String, Object>> edges(Request r, Kind parent, SplittableRandom random) {
    List<Map<String, Object>> changes = new ArrayList<>();
    boolean appRoles = r.collection().equals(APP_ROLE_ASSIGNMENTS);
    boolean managers = r.collection().equals("userManagers");
    Relations relations =
        appRoles ? tenant.appRoleAssignments() : managers ? tenant.managers() : tenant.relations();
    ObjectStore parents = tenant.store(parent);
    ObjectStore users = tenant.store(Kind.USER);
    for (int i = 0, tries = 0; i < r.adds() && tries < r.adds() * 20; tries++) {
      String from = pickLive(parents, random, new HashSet<>());
      String user = pickLive(users, random, new HashSet<>());
      if (appRoles && tenant.graphServicePrincipalId().equals(from)) {
        continue; // Microsoft Graph's app roles are granted by dirpipe grant, not assigned to users
      }
      if (managers && from != null) {
        // a user has one manager: a new one replaces it
        for (Memberships.Member old : relations.of(parent, from)) {
          if (relations.remove(parent, from, old.id())) {
            changes.add(edgeChange("REMOVE", r.collection(), from, old.id()));
          }
        }
      }
      if (from != null && user != null && !user.equals(from) && relations.add(parent, from, user)) {
        changes.add(edgeChange("ADD", r.collection(), from, user));
        audit("Add", r.collection(), parent, from);
        i++;
      }
    }
    for (int i = 0, tries = 0; i < r.removes() && tries < r.removes() * 20; tries++) {
      String from = pickLive(parents, random, new HashSet<>());
      List<Memberships.Member> now = from == null ? List.of() : relations.of(parent, from);
      if (!now.isEmpty()) {
        String user = now.get(random.nextInt(now.size())).id();
        if (relations.remove(parent, from, user)) {
          changes.add(edgeChange("REMOVE", r.collection(), from, user));
          audit("Remove", r.collection(), parent, from);
          i++;
        }
      }
    }
    return changes;
  }

  /**
   * An edge change as dirpipe's Edge names it: from the parent to the user, but an app role
   * assignment from the user to the app, with the role as qualifier.
   */
  private static Map<String, Object> edgeChange(String op, String kind, String from, String to) {
    if (kind.equals(APP_ROLE_ASSIGNMENTS)) {
      return Map.of(
          "op",
          op,
          "kind",
          kind,
          "fromId",
          to,
          "toId",
          from,
          "toType",
          "servicePrincipal",
          "qualifier",
          "00000000-0000-0000-0000-000000000000");
    }
    return Map.of("op", op, "kind", kind, "fromId", from, "toId", to, "toType", "user");
  }

  /**
   * PIM, as an administrator and users use it: {@code creates} makes users eligible for a random
   * role (roleEligibilitySchedules) or activates a role for 8 hours (roleAssignmentSchedules);
   * {@code deletes} ends as many eligibilities or activations made so.
   */
  private Report pim(Request r, SplittableRandom random) {
    RoleManagement rbac = tenant.roleManagement();
    boolean eligibility = r.collection().equals("roleEligibilitySchedules");
    List<String> created = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < r.creates(); i++) {
      String user = pickLive(tenant.store(Kind.USER), random, new HashSet<>());
      String role = Generator.ROLES[random.nextInt(Generator.ROLES.length)][0];
      if (user == null) {
        continue;
      }
      if (eligibility) {
        created.add(rbac.makeEligible(role, user));
      } else {
        rbac.activate(role, user, Duration.ofHours(8));
        created.add(RoleManagement.assignmentId(role, user));
        pimActivations.add(new String[] {role, user});
      }
      tenant
          .auditLog()
          .audit(
              eligibility
                  ? "Add eligible member to role"
                  : "Add member to role completed (PIM activation)",
              "RoleManagement",
              "Role",
              role,
              Duration.ZERO);
    }
    for (int i = 0; i < r.deletes(); i++) {
      if (eligibility) {
        List<Map<String, Object>> all = rbac.eligibilities();
        if (!all.isEmpty()) {
          String id = String.valueOf(all.get(random.nextInt(all.size())).get("id"));
          if (rbac.removeEligibility(id)) {
            deleted.add(id);
          }
        }
      } else if (!pimActivations.isEmpty()) {
        String[] a = pimActivations.remove(random.nextInt(pimActivations.size()));
        if (rbac.deactivate(a[0], a[1])) {
          deleted.add(RoleManagement.assignmentId(a[0], a[1]));
        }
      }
    }
    return new Report(r.collection(), created, List.of(), deleted, List.of());
  }

  /** Activations made by mutations: what their deletes end. */
  private final List<String[]> pimActivations = new ArrayList<>();

  /** Conditional access edited: {@code updates} excludes a random group from a random policy. */
  private Report policies(Request r, SplittableRandom random) {
    List<Map<String, Object>> updated = new ArrayList<>();
    List<Map<String, Object>> all = tenant.conditionalAccess().policies();
    for (int i = 0; i < r.updates() && !all.isEmpty(); i++) {
      String policy = String.valueOf(all.get(random.nextInt(all.size())).get("id"));
      String group = pickLive(tenant.store(Kind.GROUP), random, new HashSet<>());
      if (group != null && tenant.conditionalAccess().excludeGroup(policy, group)) {
        updated.add(
            Map.of("id", policy, "changedFields", List.of("modifiedDateTime", "conditions")));
        tenant
            .auditLog()
            .audit("Update conditional access policy", "Policy", "Policy", policy, Duration.ZERO);
      }
    }
    return new Report(r.collection(), List.of(), updated, List.of(), List.of());
  }

  /** Users who register a FIDO2 key (updates of their registration details). */
  private Report registrations(Request r, SplittableRandom random) {
    List<Map<String, Object>> updated = new ArrayList<>();
    Set<String> touched = new HashSet<>();
    for (int i = 0; i < r.updates(); i++) {
      String user = pickLive(tenant.store(Kind.USER), random, touched);
      if (user != null) {
        boolean had =
            tenant.registrations().all().stream()
                .anyMatch(
                    x ->
                        x.get("id").equals(user)
                            && ((List<?>) x.get("methodsRegistered")).contains("fido2"));
        tenant.registrations().register(user, "fido2");
        if (!had) {
          updated.add(Map.of("id", user, "changedFields", List.of("methodsRegistered")));
        }
      }
    }
    return new Report(r.collection(), List.of(), updated, List.of(), List.of());
  }

  /** The audit entry of a change to an object: "Add user", "Update group", "Delete device". */
  private void audit(String op, Kind kind, String id) {
    tenant
        .auditLog()
        .audit(
            op + " " + kind.odataType().substring("microsoft.graph.".length()),
            CATEGORIES.getOrDefault(kind, "Other"),
            kind.resource(),
            id,
            Duration.ZERO);
  }

  /** The audit entry of an edge added or removed, on its parent: "Add groupOwners". */
  private void audit(String op, String collection, Kind parent, String parentId) {
    tenant
        .auditLog()
        .audit(
            op + " " + collection,
            CATEGORIES.getOrDefault(parent, "Other"),
            parent.resource(),
            parentId,
            Duration.ZERO);
  }

  private static final Map<Kind, String> CATEGORIES =
      Map.of(
          Kind.USER, "UserManagement",
          Kind.GROUP, "GroupManagement",
          Kind.DEVICE, "Device",
          Kind.APPLICATION, "ApplicationManagement",
          Kind.SERVICE_PRINCIPAL, "ApplicationManagement",
          Kind.DIRECTORY_ROLE, "RoleManagement",
          Kind.ADMINISTRATIVE_UNIT, "AdministrativeUnit",
          Kind.OAUTH2_PERMISSION_GRANT, "ApplicationManagement");

  private static String pickLive(ObjectStore store, SplittableRandom random, Set<String> touched) {
    int positions = store.positions();
    for (int tries = 0; tries < 100 && positions > 0; tries++) {
      int p = random.nextInt(positions);
      String id = store.idAt(p);
      if (store.at(p) != null && touched.add(id)) {
        return id;
      }
    }
    return null;
  }
}
