package io.dirpipe.sandbox.identity;

import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Turns a requested resource into a token: its audience and, for Graph, the holder's app roles. */
final class Audiences {
  private static final Set<String> GRAPH =
      Set.of(
          "https://graph.microsoft.com",
          "https://graph.microsoft.com/",
          "00000003-0000-0000-c000-000000000000");

  private Audiences() {}

  static boolean isGraph(String resource) {
    return GRAPH.contains(resource);
  }

  /** Token resources the sandbox serves; anything else is an invalid resource/scope. */
  static boolean known(String resource) {
    return isGraph(resource)
        || resource.startsWith("https://management.azure.com")
        || resource.startsWith("https://management.core.windows.net")
        || resource.startsWith("https://monitor.azure.com")
        || resource.startsWith("https://storage.azure.com")
        || resource.startsWith("https://vault.azure.net")
        || resource.startsWith("https://api.loganalytics.io");
  }

  static TokenIssuer.Grant grant(Tenant tenant, Identity id, String resource, Duration lifetime) {
    // Graph tokens carry the Graph app roles the principal holds; Azure RBAC is not in tokens.
    List<String> roles =
        isGraph(resource) ? List.copyOf(tenant.permissionsOf(id.objectId())) : List.of();
    String audience = isGraph(resource) ? "https://graph.microsoft.com" : resource;
    String acr = id.managed() ? "2" : id.certificates().isEmpty() ? "1" : "2";
    return new TokenIssuer.Grant(
        audience, id.objectId(), id.clientId(), acr, roles, id.resourceId(), lifetime);
  }
}
