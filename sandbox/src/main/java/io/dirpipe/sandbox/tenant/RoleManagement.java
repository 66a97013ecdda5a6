package io.dirpipe.sandbox.tenant;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's unified RBAC view ({@code /roleManagement/directory/...}): a built-in role
 * definition for each activated directory role (a built-in definition's id is its template id), and
 * an active role assignment at the tenant scope for each member of a directory role, so the two
 * views of who holds a role always agree, mutations included.
 */
public final class RoleManagement {
  /** The properties Graph returns for a role definition and for an assignment, in its order. */
  public static final List<String> DEFINITION_PROPERTIES =
      List.of(
          "id",
          "description",
          "displayName",
          "isBuiltIn",
          "isEnabled",
          "resourceScopes",
          "templateId",
          "version",
          "rolePermissions");

  public static final List<String> ASSIGNMENT_PROPERTIES =
      List.of(
          "id",
          "principalId",
          "resourceScope",
          "directoryScopeId",
          "appScopeId",
          "roleDefinitionId");

  public static final List<String> ELIGIBILITY_PROPERTIES =
      List.of(
          "id",
          "principalId",
          "roleDefinitionId",
          "directoryScopeId",
          "appScopeId",
          "createdUsing",
          "createdDateTime",
          "modifiedDateTime",
          "status",
          "memberType",
          "scheduleInfo");

  /** An active schedule has what an eligibility has, and whether it was assigned or activated. */
  public static final List<String> ASSIGNMENT_SCHEDULE_PROPERTIES =
      java.util.stream.Stream.concat(
              ELIGIBILITY_PROPERTIES.stream(), java.util.stream.Stream.of("assignmentType"))
          .toList();

  /** Built-in roles no member holds yet in a new tenant: templates, not activated roles. */
  private static final String[][] INACTIVE_TEMPLATES = {
    {"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator"},
    {"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator"},
    {"b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator"},
    {"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator"}
  };

  private final Tenant tenant;

  /** When each active assignment was first listed: its schedule's start, stable from then on. */
  private final Map<String, String> started = new java.util.concurrent.ConcurrentHashMap<>();

  /** PIM activations: assignment id to the activated schedule's end. */
  private final Map<String, java.time.Instant> activations =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** PIM eligibilities: schedule id to the schedule. */
  private final Map<String, Map<String, Object>> eligibilities =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  RoleManagement(Tenant tenant) {
    this.tenant = tenant;
  }

  /** The eligibility schedules, oldest first. */
  public List<Map<String, Object>> eligibilities() {
    synchronized (eligibilities) {
      return List.copyOf(eligibilities.values());
    }
  }

  /**
   * Makes a principal eligible for a role definition at the tenant scope, from now with no end (as
   * PIM does when an administrator adds an eligible assignment); returns the schedule's id.
   */
  public String makeEligible(String roleDefinitionId, String principalId) {
    String id =
        UUID.nameUUIDFromBytes(
                (roleDefinitionId + "/" + principalId)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString();
    String now =
        tenant.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    Map<String, Object> info = scheduleInfo(now, null);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("id", id);
    e.put("principalId", principalId);
    e.put("roleDefinitionId", roleDefinitionId);
    e.put("directoryScopeId", "/");
    e.put("appScopeId", null);
    e.put("createdUsing", id);
    e.put("createdDateTime", now);
    e.put(
        "modifiedDateTime", "0001-01-01T08:00:00Z"); // as Graph shows for a schedule never modified
    e.put("status", "Provisioned");
    e.put("memberType", "Direct");
    e.put("scheduleInfo", info);
    eligibilities.put(id, e);
    return id;
  }

  /**
   * Activates a role for a principal for a while, as PIM does for an eligible one: the principal
   * becomes a member of the directory role (an active assignment) whose schedule says Activated and
   * ends then. The sandbox does not end it by itself: {@link #deactivate} does.
   */
  public void activate(String roleDefinitionId, String principalId, java.time.Duration duration) {
    tenant.relations().add(Kind.DIRECTORY_ROLE, role(roleDefinitionId), principalId);
    activations.put(
        assignmentId(roleDefinitionId, principalId), tenant.clock().instant().plus(duration));
  }

  /** Ends an activation before its time; false when there was none. */
  public boolean deactivate(String roleDefinitionId, String principalId) {
    boolean was = activations.remove(assignmentId(roleDefinitionId, principalId)) != null;
    return tenant.relations().remove(Kind.DIRECTORY_ROLE, role(roleDefinitionId), principalId)
        && was;
  }

  private String role(String roleDefinitionId) {
    ObjectStore roles = tenant.store(Kind.DIRECTORY_ROLE);
    for (int p = 0; p < roles.positions(); p++) {
      Map<String, Object> r = roles.at(p);
      if (r != null && roleDefinitionId.equals(r.get("roleTemplateId"))) {
        return String.valueOf(r.get("id"));
      }
    }
    throw new IllegalArgumentException("No activated directory role of " + roleDefinitionId);
  }

  /**
   * One active schedule per active assignment, with the assignment's id: Assigned with no end, or
   * Activated (through PIM) with its end.
   */
  public List<Map<String, Object>> assignmentSchedules() {
    String now =
        tenant.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> a : assignments()) {
      String id = String.valueOf(a.get("id"));
      java.time.Instant end = activations.get(id);
      Map<String, Object> info = scheduleInfo(started.computeIfAbsent(id, k -> now), end);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("id", id);
      s.put("principalId", a.get("principalId"));
      s.put("roleDefinitionId", a.get("roleDefinitionId"));
      s.put("directoryScopeId", "/");
      s.put("appScopeId", null);
      s.put("createdUsing", end == null ? null : id);
      s.put("createdDateTime", null);
      s.put("modifiedDateTime", null);
      s.put("status", "Provisioned");
      s.put("assignmentType", end == null ? "Assigned" : "Activated");
      s.put("memberType", "Direct");
      s.put("scheduleInfo", info);
      out.add(s);
    }
    return out;
  }

  /**
   * A schedule's period as Graph shows it: from {@code start}, with no end or until {@code end}.
   */
  private static Map<String, Object> scheduleInfo(String start, java.time.Instant end) {
    Map<String, Object> expiration = new LinkedHashMap<>();
    expiration.put("type", end == null ? "noExpiration" : "afterDateTime");
    expiration.put("endDateTime", end == null ? null : end.toString());
    expiration.put("duration", null);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("startDateTime", start);
    info.put("recurrence", null);
    info.put("expiration", expiration);
    return info;
  }

  /** Every built-in role's template: the activated ones and some not activated. */
  public List<Map<String, Object>> templates() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String[][] list : new String[][][] {Generator.ROLES, INACTIVE_TEMPLATES}) {
      for (String[] role : list) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", role[0]);
        t.put("deletedDateTime", null);
        t.put("description", "Can manage what " + role[1] + " covers.");
        t.put("displayName", role[1]);
        out.add(t);
      }
    }
    return out;
  }

  /** Ends an eligibility; false when there was none. */
  public boolean removeEligibility(String scheduleId) {
    return eligibilities.remove(scheduleId) != null;
  }

  public List<Map<String, Object>> definitions() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String[] role : Generator.ROLES) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("id", role[0]);
      d.put("description", "Can manage what " + role[1] + " covers.");
      d.put("displayName", role[1]);
      d.put("isBuiltIn", true);
      d.put("isEnabled", true);
      d.put("resourceScopes", List.of("/"));
      d.put("templateId", role[0]);
      d.put("version", "1");
      String area = role[1].split(" ")[0].toLowerCase(java.util.Locale.ROOT);
      d.put(
          "rolePermissions",
          List.of(
              Map.of(
                  "allowedResourceActions",
                  List.of(
                      "microsoft.directory/" + area + "/standard/read",
                      "microsoft.directory/" + area + "/allProperties/allTasks"),
                  "condition",
                  "")));
      out.add(d);
    }
    return out;
  }

  /** One active assignment at the tenant scope per member of each directory role. */
  public List<Map<String, Object>> assignments() {
    List<Map<String, Object>> out = new ArrayList<>();
    ObjectStore roles = tenant.store(Kind.DIRECTORY_ROLE);
    for (int p = 0; p < roles.positions(); p++) {
      Map<String, Object> role = roles.at(p);
      if (role == null) {
        continue;
      }
      String definition = String.valueOf(role.get("roleTemplateId"));
      for (Memberships.Member m :
          tenant.relations().of(Kind.DIRECTORY_ROLE, String.valueOf(role.get("id")))) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", assignmentId(definition, m.id()));
        a.put("principalId", m.id());
        a.put("resourceScope", "/");
        a.put("directoryScopeId", "/");
        a.put("appScopeId", null);
        a.put("roleDefinitionId", definition);
        out.add(a);
      }
    }
    return out;
  }

  /** Graph's shape of an assignment id: the two GUIDs' bytes, base64url, and "-1". */
  public static String assignmentId(String definition, String principal) {
    return pairId(definition, principal) + "-1";
  }

  /** Two GUIDs' bytes, base64url: the shape of Graph's assignment ids. */
  public static String pairId(String first, String second) {
    ByteBuffer b = ByteBuffer.allocate(32);
    for (String id : new String[] {first, second}) {
      UUID u = UUID.fromString(id);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }
}
