package io.dirpipe.identity.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.identity.IdentityException;
import io.dirpipe.identity.graph.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Grants Microsoft Graph application permissions to a service principal (typically a managed
 * identity): finds Graph's service principal, maps permission names to app roles allowed for
 * applications, reads the existing assignments and creates only the missing ones (FACTS.md §4).
 */
public final class AppRoleGrant {
  static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

  /** What happened to one permission. */
  public enum Outcome {
    EXISTING,
    ADDED,
    WOULD_ADD,
    FAILED
  }

  public record Line(String permission, String appRoleId, Outcome outcome, String error) {}

  public record Report(String principalId, String principalName, boolean dryRun, List<Line> lines) {
    public boolean ok() {
      return lines.stream().noneMatch(l -> l.outcome() == Outcome.FAILED);
    }

    public long added() {
      return lines.stream().filter(l -> l.outcome() == Outcome.ADDED).count();
    }
  }

  private final ApiClient graph;

  public AppRoleGrant(ApiClient graph) {
    this.graph = graph;
  }

  /**
   * @throws IdentityException NOT_FOUND for an unknown permission or principal (before anything is
   *     written), FORBIDDEN when the admin credential may not read what it needs
   */
  public Report grant(String principalId, List<String> permissions, boolean dryRun) {
    JsonNode graphSp = graphServicePrincipal();
    Map<String, String> roles = resolve(graphSp.path("appRoles"), permissions);
    String principalName = principal(principalId);
    Set<String> existing = new HashSet<>();
    ApiClient.Response current =
        graph.get("/v1.0/servicePrincipals/" + principalId + "/appRoleAssignments");
    check(current, "read the app-role assignments of " + principalId);
    current
        .body()
        .path("value")
        .forEach(
            a -> {
              if (a.path("resourceId").asText().equals(graphSp.path("id").asText())) {
                existing.add(a.path("appRoleId").asText());
              }
            });
    List<Line> lines = new ArrayList<>();
    roles.forEach(
        (permission, roleId) -> {
          if (existing.contains(roleId)) {
            lines.add(new Line(permission, roleId, Outcome.EXISTING, null));
          } else if (dryRun) {
            lines.add(new Line(permission, roleId, Outcome.WOULD_ADD, null));
          } else {
            lines.add(add(principalId, graphSp.path("id").asText(), permission, roleId));
          }
        });
    return new Report(principalId, principalName, dryRun, lines);
  }

  private Line add(String principalId, String resourceId, String permission, String roleId) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("principalId", principalId).put("resourceId", resourceId).put("appRoleId", roleId);
    ApiClient.Response r =
        graph.post("/v1.0/servicePrincipals/" + principalId + "/appRoleAssignments", body);
    if (r.ok()) {
      return new Line(permission, roleId, Outcome.ADDED, null);
    }
    String hint =
        r.status() == 403
            ? " (the credential running grant needs AppRoleAssignment.ReadWrite.All and Application.Read.All)"
            : "";
    return new Line(
        permission,
        roleId,
        Outcome.FAILED,
        r.status() + " " + r.errorCode() + ": " + r.errorMessage() + hint);
  }

  private JsonNode graphServicePrincipal() {
    String filter = URLEncoder.encode("appId eq '" + GRAPH_APP_ID + "'", StandardCharsets.UTF_8);
    ApiClient.Response r =
        graph.get("/v1.0/servicePrincipals?$filter=" + filter + "&$select=id,appRoles");
    check(r, "find the Microsoft Graph service principal");
    if (r.body().path("value").size() != 1) {
      throw new IdentityException(
          IdentityException.Reason.PROTOCOL,
          "Expected one Microsoft Graph service principal (appId "
              + GRAPH_APP_ID
              + ") in the tenant, found "
              + r.body().path("value").size()
              + ".");
    }
    return r.body().path("value").get(0);
  }

  /** Permission names to app role ids, validated all at once before anything is written. */
  static Map<String, String> resolve(JsonNode appRoles, List<String> permissions) {
    Map<String, String> application = new LinkedHashMap<>();
    Set<String> delegatedOnly = new HashSet<>();
    for (JsonNode role : appRoles) {
      boolean forApps = false;
      for (JsonNode t : role.path("allowedMemberTypes")) {
        forApps |= t.asText().equals("Application");
      }
      if (forApps && role.path("isEnabled").asBoolean(true)) {
        application.put(role.path("value").asText(), role.path("id").asText());
      } else {
        delegatedOnly.add(role.path("value").asText());
      }
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String p : permissions) {
      String name = p.trim();
      if (application.containsKey(name)) {
        resolved.put(name, application.get(name));
      } else if (delegatedOnly.contains(name)) {
        problems.add(
            "'" + name + "' is not an application permission (it can only be granted to users)");
      } else {
        problems.add(
            "unknown Graph application permission '"
                + name
                + "'; closest: "
                + closest(name, application.keySet()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IdentityException(
          IdentityException.Reason.NOT_FOUND,
          "Nothing was granted: " + String.join("; ", problems) + ".");
    }
    return resolved;
  }

  private String principal(String principalId) {
    ApiClient.Response r =
        graph.get("/v1.0/servicePrincipals/" + principalId + "?$select=id,displayName");
    if (r.status() == 404 || r.status() == 400) {
      throw new IdentityException(
          IdentityException.Reason.NOT_FOUND,
          "No service principal with object id "
              + principalId
              + " in this tenant: pass the principal (object) id of the managed identity or application, e.g. from 'az identity show --query principalId'. Nothing was granted.");
    }
    check(r, "read service principal " + principalId);
    return r.body().path("displayName").asText(null);
  }

  private static void check(ApiClient.Response r, String what) {
    if (r.ok()) {
      return;
    }
    IdentityException.Reason reason =
        r.status() == 401 || r.status() == 403
            ? IdentityException.Reason.FORBIDDEN
            : r.status() == 429 || r.status() >= 500
                ? IdentityException.Reason.TRANSIENT
                : IdentityException.Reason.PROTOCOL;
    String hint =
        reason == IdentityException.Reason.FORBIDDEN
            ? " The credential running grant needs Application.Read.All and AppRoleAssignment.ReadWrite.All (run 'dirpipe diagnose' with it)."
            : "";
    throw new IdentityException(
        reason,
        "Could not "
            + what
            + ": "
            + r.status()
            + " "
            + r.errorCode()
            + ": "
            + r.errorMessage()
            + "."
            + hint
            + " Nothing was granted.");
  }

  static String closest(String name, Set<String> known) {
    return known.stream()
        .sorted(
            Comparator.comparingInt((String k) -> distance(k.toLowerCase(), name.toLowerCase()))
                .thenComparing(k -> k))
        .limit(3)
        .collect(Collectors.joining(", "));
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] =
            Math.min(
                Math.min(cur[j - 1] + 1, prev[j] + 1),
                prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length()];
  }
}
