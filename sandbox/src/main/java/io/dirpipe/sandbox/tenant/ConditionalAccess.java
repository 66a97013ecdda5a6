package io.dirpipe.sandbox.tenant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant's conditional access policies, in Graph's shape: three policies a tenant typically has
 * (MFA for administrators with a break-glass group excluded, legacy authentication blocked for
 * everyone but one account, compliant devices for a group), and edits of their exclusions that bump
 * {@code modifiedDateTime}, as the admin center does.
 */
public final class ConditionalAccess {
  /** The properties Graph returns for a policy (the ones the sandbox knows). */
  public static final List<String> PROPERTIES =
      List.of(
          "id",
          "templateId",
          "displayName",
          "createdDateTime",
          "modifiedDateTime",
          "state",
          "conditions",
          "grantControls",
          "sessionControls");

  private final Map<String, Map<String, Object>> policies = new LinkedHashMap<>();
  private final Tenant tenant;

  ConditionalAccess(Tenant tenant) {
    this.tenant = tenant;
    String created = "2025-06-02T09:00:00Z";
    String globalAdministrator = Generator.ROLES[0][0];
    String breakGlass = tenant.ids().of(Kind.GROUP, 0);
    add(
        "a1c4a8b2-0001-4c5e-9d41-5a0f3c6c0001",
        "Require MFA for administrators",
        created,
        users(List.of(), List.of(), List.of(), List.of(breakGlass), List.of(globalAdministrator)),
        List.of("mfa"));
    add(
        "a1c4a8b2-0002-4c5e-9d41-5a0f3c6c0002",
        "Block legacy authentication",
        created,
        users(
            List.of("All"),
            List.of(tenant.ids().of(Kind.USER, 0)),
            List.of(),
            List.of(),
            List.of()),
        List.of("block"));
    add(
        "a1c4a8b2-0003-4c5e-9d41-5a0f3c6c0003",
        "Require a compliant device for finance",
        created,
        users(List.of(), List.of(), List.of(tenant.ids().of(Kind.GROUP, 1)), List.of(), List.of()),
        List.of("compliantDevice"));
  }

  public synchronized List<Map<String, Object>> policies() {
    return List.copyOf(policies.values());
  }

  /** Adds a group to a policy's excluded groups; false when it was already excluded. */
  @SuppressWarnings("unchecked")
  public synchronized boolean excludeGroup(String policyId, String groupId) {
    Map<String, Object> policy = policies.get(policyId);
    if (policy == null) {
      throw new IllegalArgumentException("No conditional access policy " + policyId);
    }
    Map<String, Object> conditions = (Map<String, Object>) policy.get("conditions");
    Map<String, Object> users = (Map<String, Object>) conditions.get("users");
    List<String> excluded = new ArrayList<>((List<String>) users.get("excludeGroups"));
    if (excluded.contains(groupId)) {
      return false;
    }
    excluded.add(groupId);
    users.put("excludeGroups", List.copyOf(excluded));
    policy.put(
        "modifiedDateTime",
        tenant.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
    return true;
  }

  private void add(
      String id, String name, String created, Map<String, Object> users, List<String> controls) {
    Map<String, Object> applications = new LinkedHashMap<>();
    applications.put("includeApplications", List.of("All"));
    applications.put("excludeApplications", List.of());
    Map<String, Object> conditions = new LinkedHashMap<>();
    conditions.put("users", users);
    conditions.put("applications", applications);
    conditions.put("clientAppTypes", List.of("all"));
    Map<String, Object> grant = new LinkedHashMap<>();
    grant.put("operator", "OR");
    grant.put("builtInControls", controls);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", id);
    p.put("templateId", null);
    p.put("displayName", name);
    p.put("createdDateTime", created);
    p.put("modifiedDateTime", null);
    p.put("state", "enabled");
    p.put("conditions", conditions);
    p.put("grantControls", grant);
    p.put("sessionControls", null);
    policies.put(id, p);
  }

  private static Map<String, Object> users(
      List<String> includeUsers,
      List<String> excludeUsers,
      List<String> includeGroups,
      List<String> excludeGroups,
      List<String> includeRoles) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("includeUsers", includeUsers);
    u.put("excludeUsers", excludeUsers);
    u.put("includeGroups", includeGroups);
    u.put("excludeGroups", excludeGroups);
    u.put("includeRoles", includeRoles);
    u.put("excludeRoles", List.of());
    return u;
  }
}
