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

  private final Tenant tenant;

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
    Map<String, Object> expiration = new LinkedHashMap<>();
    expiration.put("type", "noExpiration");
    expiration.put("endDateTime", null);
    expiration.put("duration", null);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("startDateTime", now);
    info.put("recurrence", null);
    info.put("expiration", expiration);
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
  static String assignmentId(String definition, String principal) {
    ByteBuffer b = ByteBuffer.allocate(32);
    for (String id : new String[] {definition, principal}) {
      UUID u = UUID.fromString(id);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array()) + "-1";
  }
}
