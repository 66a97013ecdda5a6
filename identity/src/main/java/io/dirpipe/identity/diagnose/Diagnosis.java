package io.dirpipe.identity.diagnose;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import io.dirpipe.identity.IdentityException;
import io.dirpipe.identity.graph.ApiClient;
import io.dirpipe.identity.token.TokenClaims;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acquires a Graph token, reads its claims, probes each collection with {@code GET
 * /<collection>?$top=1&$select=id} and, when a subscription is configured, ARM; explains every
 * failure and names the fix.
 */
public final class Diagnosis {
  /** Collection to the least-privileged application permission that reads it. */
  public static final Map<String, String> COLLECTIONS = new LinkedHashMap<>();

  static {
    COLLECTIONS.put("users", "User.Read.All");
    COLLECTIONS.put("groups", "Group.Read.All");
    COLLECTIONS.put("groupMembers", "GroupMember.Read.All");
    COLLECTIONS.put("devices", "Device.Read.All");
    COLLECTIONS.put("applications", "Application.Read.All");
    COLLECTIONS.put("servicePrincipals", "Application.Read.All");
    COLLECTIONS.put("directoryRoles", "RoleManagement.Read.Directory");
    COLLECTIONS.put("groupOwners", "GroupMember.Read.All");
    COLLECTIONS.put("applicationOwners", "Application.Read.All");
    COLLECTIONS.put("servicePrincipalOwners", "Application.Read.All");
    COLLECTIONS.put("directoryRoleMembers", "RoleManagement.Read.Directory");
    COLLECTIONS.put("roleDefinitions", "RoleManagement.Read.Directory");
    COLLECTIONS.put("roleAssignments", "RoleManagement.Read.Directory");
    // Directory.Read.All does not read PIM schedules (v1.0 reference)
    COLLECTIONS.put("roleEligibilitySchedules", "RoleEligibilitySchedule.Read.Directory");
    COLLECTIONS.put("roleAssignmentSchedules", "RoleAssignmentSchedule.Read.Directory");
    COLLECTIONS.put("directoryRoleTemplates", "RoleManagement.Read.Directory");
    COLLECTIONS.put("administrativeUnits", "AdministrativeUnit.Read.All");
    COLLECTIONS.put("administrativeUnitMembers", "AdministrativeUnit.Read.All");
    COLLECTIONS.put("appRoleAssignments", "Application.Read.All");
    COLLECTIONS.put("userManagers", "User.Read.All");
    COLLECTIONS.put("userRegistrationDetails", "AuditLog.Read.All");
    // delegated grants: no narrower application permission reads them (v1.0 reference)
    COLLECTIONS.put("oauth2PermissionGrants", "Directory.Read.All");
    COLLECTIONS.put("delegatedPermissions", "Directory.Read.All");
    COLLECTIONS.put("conditionalAccessPolicies", "Policy.Read.All");
    COLLECTIONS.put("directoryAudits", "AuditLog.Read.All");
    // sign-ins also need Directory.Read.All (a known issue in the v1.0 reference) and P1/P2
    COLLECTIONS.put("signIns", "AuditLog.Read.All");
  }

  /**
   * Edge collections: the parent collection and the relationship listed for each of its objects,
   * probed on the first parent.
   */
  static final Map<String, String[]> RELATIONS =
      Map.of(
          "groupMembers", new String[] {"groups", "members"},
          "groupOwners", new String[] {"groups", "owners"},
          "applicationOwners", new String[] {"applications", "owners"},
          "servicePrincipalOwners", new String[] {"servicePrincipals", "owners"},
          "directoryRoleMembers", new String[] {"directoryRoles", "members"},
          "administrativeUnitMembers", new String[] {"directory/administrativeUnits", "members"},
          "appRoleAssignments", new String[] {"servicePrincipals", "appRoleAssignedTo"});

  /** Graph's error code for a call the tenant's license does not cover (sign-ins). */
  static final String NON_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

  /**
   * The request that probes an object collection, with the query parameters its v1.0 reference
   * documents (no {@code $top} for the role management collections, administrative units and
   * delegated grants; no parameter at all for directory role templates).
   */
  static String probePath(String collection) {
    return switch (collection) {
      case "conditionalAccessPolicies" ->
          "/v1.0/identity/conditionalAccess/policies?$top=1&$select=id";
      case "administrativeUnits" -> "/v1.0/directory/administrativeUnits?$select=id";
      case "directoryRoleTemplates" -> "/v1.0/directoryRoleTemplates";
      case "oauth2PermissionGrants", "delegatedPermissions" ->
          "/v1.0/oauth2PermissionGrants?$select=id";
      case "directoryAudits", "signIns" -> "/v1.0/auditLogs/" + collection + "?$top=1";
      case "userRegistrationDetails" ->
          "/v1.0/reports/authenticationMethods/userRegistrationDetails";
      case "userManagers" -> "/v1.0/users?$top=1&$select=id&$expand=manager($select=id)";
      default ->
          collection.startsWith("role")
              ? "/v1.0/roleManagement/directory/" + collection + "?$select=id"
              : "/v1.0/" + collection + "?$top=1&$select=id";
    };
  }

  /** The whole answer: the Graph token's claims (null when none was obtained) and every probe. */
  public record Report(TokenClaims graphToken, List<Probe> probes) {
    public boolean ok() {
      return probes.stream().allMatch(Probe::ok);
    }
  }

  private final ApiClient graph;
  private final ApiClient arm;
  private final String subscriptionId;
  private final Clock clock;

  /**
   * @param arm null when no subscription is configured
   */
  public Diagnosis(ApiClient graph, ApiClient arm, String subscriptionId, Clock clock) {
    this.graph = graph;
    this.arm = arm;
    this.subscriptionId = subscriptionId;
    this.clock = clock;
  }

  public Report run(List<String> collections) {
    TokenClaims claims;
    try {
      claims = TokenClaims.decode(graph.token());
    } catch (CredentialUnavailableException e) {
      return new Report(
          null,
          List.of(
              new Probe(
                  "credential",
                  null,
                  0,
                  Verdict.CREDENTIAL_UNAVAILABLE,
                  firstLine(e.getMessage()),
                  "Run where the configured credential exists (a managed identity needs an Azure host with one assigned), or choose another with 'credential'.")));
    } catch (ClientAuthenticationException e) {
      return new Report(
          null,
          List.of(
              new Probe(
                  "credential",
                  null,
                  0,
                  Verdict.AUTHENTICATION_FAILED,
                  firstLine(e.getMessage()),
                  "Check tenant.id, client.id and the secret or certificate; the AADSTS code above names the cause.")));
    }
    List<Probe> probes = new ArrayList<>();
    Map<String, ApiClient.Response> parents = new java.util.HashMap<>();
    for (String collection : collections) {
      String[] relation = RELATIONS.get(collection);
      if (relation == null) {
        String path = probePath(collection);
        probes.add(graphProbe(collection, "GET " + path, graph.get(path), claims));
        continue;
      }
      String parentPath =
          "/v1.0/" + relation[0] + (relation[0].contains("/") ? "?" : "?$top=1&") + "$select=id";
      ApiClient.Response parent = parents.computeIfAbsent(parentPath, graph::get);
      if (!parent.ok()) {
        // the parents are read first: what refuses them refuses the edge collection
        probes.add(graphProbe(collection, "GET " + parentPath, parent, claims));
      } else if (parent.body().path("value").isEmpty()) {
        probes.add(
            new Probe(
                collection,
                null,
                0,
                Verdict.SKIPPED,
                "The tenant has no "
                    + relation[0]
                    + ", so their "
                    + relation[1]
                    + " could not be probed.",
                "Nothing to fix."));
      } else {
        String first = parent.body().path("value").get(0).path("id").asText();
        String path =
            "/v1.0/" + relation[0] + "/" + first + "/" + relation[1] + "?$top=1&$select=id";
        probes.add(graphProbe(collection, "GET " + path, graph.get(path), claims));
      }
    }
    if (arm != null && subscriptionId != null) {
      probes.add(armProbe());
    }
    return new Report(claims, probes);
  }

  private Probe graphProbe(
      String collection, String request, ApiClient.Response r, TokenClaims claims) {
    String permission = COLLECTIONS.getOrDefault(collection, "Directory.Read.All");
    Verdict v =
        r.status() == 403 && NON_PREMIUM.equals(r.errorCode())
            ? Verdict.LICENSE_REQUIRED
            : Explain.verdict(
                r.status(), claims, graph.expectedScope(), clock.instant(), permission);
    String error = r.errorCode() == null ? "" : " " + r.errorCode() + ": " + r.errorMessage();
    return switch (v) {
      case OK -> new Probe(collection, request, r.status(), v, "readable", null);
      case EXPIRED ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "The token expired at " + claims.exp() + error,
              "Request a new token; if this persists, check the clock of this host.");
      case WRONG_AUDIENCE ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "The token is for '" + claims.aud() + "', not Microsoft Graph." + error,
              "Request the token with scope " + graph.expectedScope() + ".");
      case DELEGATED_TOKEN ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "This is a delegated (user) token with scopes "
                  + claims.scp()
                  + " and no application roles."
                  + error,
              "Use an app-only credential (managed identity, client secret or certificate) holding "
                  + permission
                  + ".");
      case MISSING_PERMISSION ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "The token's roles "
                  + claims.roles()
                  + " include neither "
                  + permission
                  + " nor Directory.Read.All."
                  + error,
              "dirpipe grant --principal-id "
                  + claims.oid()
                  + " --permissions "
                  + permission
                  + "   (or Directory.Read.All for every collection)");
      case LICENSE_REQUIRED ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "The tenant has no Entra ID P1 or P2 license, which "
                  + collection
                  + " needs."
                  + error,
              "License the tenant (P1 or P2), or take "
                  + collection
                  + " out of extract.collections; no permission grant changes this.");
      case FORBIDDEN_DESPITE_ROLE ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "The token holds "
                  + claims.roles()
                  + ", which grants this call, yet Graph answered 403."
                  + error
                  + " A missing grant is not the cause.",
              "Roles are copied into a token when it is issued: after a recent grant, wait for a new"
                  + " token (a managed identity's token can be cached for up to 24 hours) and probe"
                  + " again. If a fresh token still gets 403, the error code above names what else"
                  + " refuses the call (a Conditional Access policy for workload identities, an"
                  + " administrative-unit scope, a permission this collection needs in addition).");
      case INVALID_TOKEN ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "Graph refused the token." + error,
              "Check tenant.id and that the token comes from this tenant's authority.");
      case SERVICE_UNAVAILABLE ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "Graph is throttling or failing (" + r.status() + ")." + error,
              "Retry later; this is not a permission problem.");
      default ->
          new Probe(
              collection,
              request,
              r.status(),
              v,
              "Unexpected answer " + r.status() + "." + error,
              null);
    };
  }

  private Probe armProbe() {
    String request = "/subscriptions/" + subscriptionId + "/resourcegroups?api-version=2021-04-01";
    TokenClaims claims;
    ApiClient.Response r;
    try {
      claims = TokenClaims.decode(arm.token());
      r = arm.get(request);
    } catch (ClientAuthenticationException e) {
      return new Probe(
          "arm", null, 0, Verdict.CREDENTIAL_UNAVAILABLE, firstLine(e.getMessage()), null);
    } catch (IdentityException e) {
      return new Probe(
          "arm",
          "GET " + request,
          0,
          Verdict.SERVICE_UNAVAILABLE,
          e.getMessage(),
          "Check arm.url.");
    }
    Verdict v = Explain.verdict(r.status(), claims, arm.expectedScope(), clock.instant());
    String error = r.errorCode() == null ? "" : " " + r.errorCode() + ": " + r.errorMessage();
    if (v == Verdict.MISSING_PERMISSION) {
      return new Probe(
          "arm",
          "GET " + request,
          r.status(),
          v,
          "Azure RBAC, not Graph permissions, governs ARM: principal "
              + claims.oid()
              + " has no role on the subscription."
              + error,
          "az role assignment create --assignee-object-id "
              + claims.oid()
              + " --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/"
              + subscriptionId);
    }
    return new Probe(
        "arm",
        "GET " + request,
        r.status(),
        v,
        v == Verdict.OK
            ? "readable (Azure RBAC grants read on the subscription)"
            : "ARM answered " + r.status() + "." + error,
        null);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
