package io.dirpipe.sandbox.graph;

import io.dirpipe.sandbox.tenant.GraphPermissions;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.sandbox.tenant.Tenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads: list, get, {@code $count} of collections, and group members. */
final class Collections {
  /** What Graph returns for users without {@code $select}. */
  static final List<String> USER_DEFAULTS =
      List.of(
          "businessPhones",
          "displayName",
          "givenName",
          "jobTitle",
          "mail",
          "mobilePhone",
          "officeLocation",
          "preferredLanguage",
          "surname",
          "userPrincipalName",
          "id");

  private static final List<String> ID_ONLY = List.of("id");

  private final Tenant tenant;

  Collections(Tenant tenant) {
    this.tenant = tenant;
  }

  static int baseCost(Kind kind) {
    return kind == Kind.USER || kind == Kind.APPLICATION ? 2 : 1;
  }

  Reply list(Call call, Kind kind) {
    call.require(GraphPermissions.toRead(kind));
    call.payRead(baseCost(kind));
    Query q = Query.parse(call.ex, tenant.properties(kind), kind.odataType(), kind, false);
    ObjectStore store = tenant.store(kind);
    int start = position(call);
    Long count = q.count && start == 0 ? countMatching(store, q) : null;
    PageWriter page = new PageWriter(call.base() + "/$metadata#" + kind.segment(), count);
    List<String> select = q.select != null ? q.select : kind == Kind.USER ? USER_DEFAULTS : null;
    int written = 0;
    int p = start;
    for (int end = store.positions(); p < end && written < q.top; p++) {
      Map<String, Object> o = store.at(p);
      if (o != null && (q.filter == null || q.filter.test(o))) {
        page.object(null, o, select, q.expandManager ? manager(String.valueOf(o.get("id"))) : null);
        written++;
      }
    }
    String next = hasMore(store, q, p) ? nextLink(call, p) : null;
    return Reply.json(200, page.finish(next, null));
  }

  /** A user's {@code manager} as {@code $expand} shows it, or nothing when it has none. */
  private Map<String, Object> manager(String userId) {
    String manager = tenant.manager(userId);
    if (manager == null) {
      return null;
    }
    Map<String, Object> ref = new java.util.LinkedHashMap<>();
    ref.put("@odata.type", "#microsoft.graph.user");
    ref.put("id", manager);
    return Map.of("manager", ref);
  }

  private static boolean hasMore(ObjectStore store, Query q, int from) {
    for (int p = from, end = store.positions(); p < end; p++) {
      Map<String, Object> o = store.at(p);
      if (o != null && (q.filter == null || q.filter.test(o))) {
        return true;
      }
    }
    return false;
  }

  private static long countMatching(ObjectStore store, Query q) {
    if (q.filter == null) {
      return store.count();
    }
    long n = 0;
    for (int p = 0, end = store.positions(); p < end; p++) {
      Map<String, Object> o = store.at(p);
      if (o != null && q.filter.test(o)) {
        n++;
      }
    }
    return n;
  }

  Reply count(Call call, Kind kind) {
    call.require(GraphPermissions.toRead(kind));
    call.payRead(baseCost(kind));
    requireEventual(call);
    return Reply.text(Long.toString(tenant.store(kind).count()));
  }

  Reply get(Call call, Kind kind, String id) {
    call.require(GraphPermissions.toRead(kind));
    call.payRead(baseCost(kind));
    Query q = Query.parse(call.ex, tenant.properties(kind), kind.odataType(), null, false);
    Map<String, Object> o = tenant.store(kind).get(id);
    if (o == null) {
      throw GraphError.notFound(id);
    }
    List<String> select = q.select != null ? q.select : kind == Kind.USER ? USER_DEFAULTS : null;
    byte[] body =
        new PageWriter(call.base() + "/$metadata#" + kind.segment() + "/$entity", null)
            .object(null, o, select, null)
            .finish(null, null);
    // A single entity is the object itself, not a page: unwrap
    // {"@odata.context":..,"value":[{..}]}.
    return Reply.json(200, SingleEntity.unwrap(body));
  }

  Reply members(Call call, String groupId) {
    call.require(GraphPermissions.toReadMembers());
    call.payRead(3);
    int g = group(groupId);
    Set<String> known = new HashSet<>(tenant.properties(Kind.USER));
    known.addAll(tenant.properties(Kind.GROUP));
    Query q = Query.parse(call.ex, known, "microsoft.graph.directoryObject", null, false);
    Memberships m = tenant.memberships();
    int start = position(call);
    Long count = q.count && start == 0 ? (long) m.all(g).size() : null;
    PageWriter page = new PageWriter(call.base() + "/$metadata#directoryObjects", count);
    int written = 0;
    int p = start;
    for (int end = m.positions(g); p < end && written < q.top; p++) {
      Memberships.Member member = m.at(g, p);
      if (member != null) {
        Kind kind = member.type().equals("user") ? Kind.USER : Kind.GROUP;
        List<String> select =
            q.select != null ? q.select : kind == Kind.USER ? USER_DEFAULTS : null;
        // $select=id (what extractors ask) needs no other property: the object is not generated
        // (a deleted member has already left its groups' listings)
        Map<String, Object> o =
            ID_ONLY.equals(select)
                ? Map.of("id", member.id())
                : tenant.store(kind).get(member.id());
        page.object(kind.odataType(), o, select, null);
        written++;
      }
    }
    boolean more = false;
    for (int q2 = p, end = m.positions(g); q2 < end && !more; q2++) {
      more = m.at(g, q2) != null;
    }
    return Reply.json(200, page.finish(more ? nextLink(call, p) : null, null));
  }

  /**
   * A relationship listed as directoryObjects: the owners of a group, application or service
   * principal, the members of a directory role. 1 RU (FACTS.md §7: "others 1"), paged like members.
   */
  Reply related(Call call, Kind parent, String parentId, List<String> permissions) {
    call.require(permissions);
    call.payRead(1);
    if (tenant.store(parent).get(parentId) == null) {
      throw GraphError.notFound(parentId);
    }
    List<Memberships.Member> all = tenant.relations().of(parent, parentId);
    Query q =
        Query.parse(
            call.ex, tenant.properties(Kind.USER), "microsoft.graph.directoryObject", null, false);
    int start = position(call);
    PageWriter page =
        new PageWriter(
            call.base() + "/$metadata#directoryObjects",
            q.count && start == 0 ? (long) all.size() : null);
    // a directory role's members come 1,000 a page whatever $top says (v1.0 reference)
    int end = Math.min(all.size(), start + (parent == Kind.DIRECTORY_ROLE ? 1000 : q.top));
    for (int p = start; p < end; p++) {
      Memberships.Member m = all.get(p);
      Kind kind = m.type().equals("group") ? Kind.GROUP : Kind.USER;
      List<String> select = q.select != null ? q.select : kind == Kind.USER ? USER_DEFAULTS : null;
      Map<String, Object> o =
          ID_ONLY.equals(select) ? Map.of("id", m.id()) : tenant.store(kind).get(m.id());
      page.object(kind.odataType(), o, select, null);
    }
    return Reply.json(200, page.finish(end < all.size() ? nextLink(call, end) : null, null));
  }

  /**
   * Role definitions or assignments ({@code /roleManagement/directory/...}): RoleManagement.Read.
   * Directory, 1 RU, one page (a tenant has tens to a few thousand; Graph documents no {@code $top}
   * here), {@code $select} honoured.
   */
  Reply roleManagement(Call call, String what) {
    var rbac = tenant.roleManagement();
    List<String> known;
    String type;
    List<Map<String, Object>> all;
    switch (what) {
      case "roleDefinitions" -> {
        call.require(GraphPermissions.toRead(Kind.DIRECTORY_ROLE));
        known = io.dirpipe.sandbox.tenant.RoleManagement.DEFINITION_PROPERTIES;
        type = "microsoft.graph.unifiedRoleDefinition";
        all = rbac.definitions();
      }
      case "roleAssignments" -> {
        call.require(GraphPermissions.toRead(Kind.DIRECTORY_ROLE));
        known = io.dirpipe.sandbox.tenant.RoleManagement.ASSIGNMENT_PROPERTIES;
        type = "microsoft.graph.unifiedRoleAssignment";
        all = rbac.assignments();
      }
      case "roleAssignmentSchedules" -> {
        call.require(toReadSchedules("RoleAssignmentSchedule.Read.Directory"));
        known = io.dirpipe.sandbox.tenant.RoleManagement.ASSIGNMENT_SCHEDULE_PROPERTIES;
        type = "microsoft.graph.unifiedRoleAssignmentSchedule";
        all = rbac.assignmentSchedules();
      }
      default -> {
        call.require(toReadSchedules("RoleEligibilitySchedule.Read.Directory"));
        known = io.dirpipe.sandbox.tenant.RoleManagement.ELIGIBILITY_PROPERTIES;
        type = "microsoft.graph.unifiedRoleEligibilitySchedule";
        all = rbac.eligibilities();
      }
    }
    call.payRead(1);
    Query q = Query.parse(call.ex, new HashSet<>(known), type, null, false);
    PageWriter page =
        new PageWriter(
            call.base() + "/$metadata#roleManagement/directory/" + what,
            q.count ? (long) all.size() : null);
    for (Map<String, Object> o : all) {
      page.object(null, o, q.select, null);
    }
    return Reply.json(200, page.finish(null, null));
  }

  /**
   * What reads PIM's schedules: their own permission or role management's; not Directory.Read.All.
   */
  private static List<String> toReadSchedules(String own) {
    return List.of(own, "RoleManagement.Read.Directory", "RoleManagement.Read.All");
  }

  /**
   * Every built-in directory role, activated or not: RoleManagement.Read.Directory or
   * Directory.Read.All, 1 RU, one page; Graph documents no OData query parameter here.
   */
  Reply directoryRoleTemplates(Call call) {
    call.require(GraphPermissions.toRead(Kind.DIRECTORY_ROLE));
    call.payRead(1);
    PageWriter page = new PageWriter(call.base() + "/$metadata#directoryRoleTemplates", null);
    for (Map<String, Object> t : tenant.roleManagement().templates()) {
      page.object(null, t, null, null);
    }
    return Reply.json(200, page.finish(null, null));
  }

  /** What an appRoleAssignment has, in Graph's order. */
  private static final java.util.Set<String> APP_ROLE_ASSIGNMENT =
      new java.util.LinkedHashSet<>(
          List.of(
              "id",
              "deletedDateTime",
              "appRoleId",
              "createdDateTime",
              "principalDisplayName",
              "principalId",
              "principalType",
              "resourceDisplayName",
              "resourceId"));

  /** The app role every app has: access without a specific role ("default access"). */
  static final String DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000";

  /**
   * The app role assignments granted for a resource service principal: Application.Read.All or
   * Directory.Read.All, 1 RU, {@code $top} and {@code $select} honoured. Microsoft Graph's own
   * service principal lists the permissions granted to identities ({@code dirpipe grant});
   * generated apps list the users assigned to them.
   */
  Reply appRoleAssignedTo(Call call, String resourceId) {
    call.require(GraphPermissions.toRead(Kind.SERVICE_PRINCIPAL));
    call.payRead(1);
    Map<String, Object> resource = tenant.store(Kind.SERVICE_PRINCIPAL).get(resourceId);
    if (resource == null) {
      throw GraphError.notFound(resourceId);
    }
    List<Map<String, Object>> all = new java.util.ArrayList<>();
    if (resourceId.equals(tenant.graphServicePrincipalId())) {
      tenant.graphAssignments().forEach(a -> all.add(Writes.assignment(a)));
    } else {
      for (Memberships.Member m :
          tenant.appRoleAssignments().of(Kind.SERVICE_PRINCIPAL, resourceId)) {
        Map<String, Object> user = tenant.store(Kind.USER).get(m.id());
        Map<String, Object> a = new java.util.LinkedHashMap<>();
        a.put("id", io.dirpipe.sandbox.tenant.RoleManagement.pairId(m.id(), resourceId));
        a.put("deletedDateTime", null);
        a.put("appRoleId", DEFAULT_ACCESS);
        a.put("createdDateTime", "2024-01-15T09:30:00Z");
        a.put("principalDisplayName", user == null ? null : user.get("displayName"));
        a.put("principalId", m.id());
        a.put("principalType", "User");
        a.put("resourceDisplayName", resource.get("displayName"));
        a.put("resourceId", resourceId);
        all.add(a);
      }
    }
    Query q =
        Query.parse(call.ex, APP_ROLE_ASSIGNMENT, "microsoft.graph.appRoleAssignment", null, false);
    int start = position(call);
    PageWriter page =
        new PageWriter(
            call.base() + "/$metadata#servicePrincipals('" + resourceId + "')/appRoleAssignedTo",
            q.count && start == 0 ? (long) all.size() : null);
    int end = Math.min(all.size(), start + q.top);
    for (int p = start; p < end; p++) {
      page.object(null, all.get(p), q.select, null);
    }
    return Reply.json(200, page.finish(end < all.size() ? nextLink(call, end) : null, null));
  }

  /**
   * Conditional access policies: Policy.Read.All only (Directory.Read.All does not read them), 1
   * RU, {@code $top} and {@code $select} honoured.
   */
  Reply conditionalAccess(Call call) {
    call.require(List.of("Policy.Read.All"));
    call.payRead(1);
    Query q =
        Query.parse(
            call.ex,
            new HashSet<>(io.dirpipe.sandbox.tenant.ConditionalAccess.PROPERTIES),
            "microsoft.graph.conditionalAccessPolicy",
            null,
            false);
    List<Map<String, Object>> all = tenant.conditionalAccess().policies();
    int start = position(call);
    PageWriter page =
        new PageWriter(
            call.base() + "/$metadata#identity/conditionalAccess/policies",
            q.count && start == 0 ? (long) all.size() : null);
    int end = Math.min(all.size(), start + q.top);
    for (int p = start; p < end; p++) {
      page.object(null, all.get(p), q.select, null);
    }
    return Reply.json(200, page.finish(end < all.size() ? nextLink(call, end) : null, null));
  }

  Reply memberCount(Call call, String groupId) {
    call.require(GraphPermissions.toReadMembers());
    call.payRead(3);
    requireEventual(call);
    return Reply.text(Integer.toString(tenant.memberships().all(group(groupId)).size()));
  }

  int group(String groupId) {
    if (tenant.store(Kind.GROUP).get(groupId) == null) {
      throw GraphError.notFound(groupId);
    }
    return tenant.ids().indexOf(groupId);
  }

  private static void requireEventual(Call call) {
    if (!"eventual".equalsIgnoreCase(call.ex.header("ConsistencyLevel"))) {
      throw new GraphError(
          400,
          "Request_BadRequest",
          "Count is not currently supported without the ConsistencyLevel header set to eventual.");
    }
  }

  private static int position(Call call) {
    String token = call.ex.query("$skiptoken");
    if (token == null) {
      return 0;
    }
    return Cursor.intField(Cursor.decode(token, "skip token"), "p", "skip token");
  }

  /** The request's own URL with the skip token replaced: Graph's next links keep the query. */
  static String nextLink(Call call, int position) {
    return nextLink(call, Map.of("p", Integer.toString(position)));
  }

  /** The request's own URL with a skip token holding {@code cursor}. */
  static String nextLink(Call call, Map<String, String> cursor) {
    StringBuilder url = new StringBuilder(call.ex.baseUrl()).append(call.ex.path()).append('?');
    String raw = call.ex.rawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        if (!pair.isEmpty()
            && !pair.startsWith("$skiptoken=")
            && !pair.startsWith("%24skiptoken=")) {
          url.append(pair).append('&');
        }
      }
    }
    String token = Cursor.encode(cursor);
    return url.append("$skiptoken=")
        .append(URLEncoder.encode(token, StandardCharsets.UTF_8))
        .toString();
  }
}
