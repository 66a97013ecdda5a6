package io.dirpipe.sandbox.identity;

import io.dirpipe.core.Cloud;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.time.Duration;
import java.util.List;

/**
 * Turns a requested resource into a token: its audience and, for Graph, the holder's app roles.
 * Only the resources of the cloud the sandbox poses as are served, as each cloud's token service
 * does.
 */
final class Audiences {
  static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

  private Audiences() {}

  static boolean isGraph(String resource, Cloud cloud) {
    return resource.equals(cloud.graph())
        || resource.equals(cloud.graph() + "/")
        || resource.equals(GRAPH_APP_ID);
  }

  /** Token resources the sandbox serves; anything else is an invalid resource/scope. */
  static boolean known(String resource, Cloud cloud) {
    if (isGraph(resource, cloud)
        || resource.startsWith(cloud.arm())
        || resource.startsWith(cloud.monitor())
        || resource.startsWith(Cloud.STORAGE_AUDIENCE)
        || isEventHubs(resource, cloud)) {
      return true;
    }
    return cloud == Cloud.PUBLIC
        && (resource.startsWith("https://management.core.windows.net")
            || resource.startsWith("https://vault.azure.net")
            || resource.startsWith("https://api.loganalytics.io"));
  }

  /** An Event Hubs namespace ({@code https://<ns>.servicebus.windows.net}) of the cloud. */
  static boolean isEventHubs(String resource, Cloud cloud) {
    return resource.matches(
            "https://[a-z0-9-]+\\."
                + java.util.regex.Pattern.quote(cloud.serviceBusSuffix())
                + "/?")
        || resource.equals("https://eventhubs.azure.net");
  }

  static TokenIssuer.Grant grant(
      Tenant tenant, Identity id, String resource, Duration lifetime, Cloud cloud) {
    // Graph tokens carry the Graph app roles the principal holds; Azure RBAC is not in tokens.
    boolean graph = isGraph(resource, cloud);
    List<String> roles = graph ? List.copyOf(tenant.permissionsOf(id.objectId())) : List.of();
    String audience = graph ? cloud.graph() : resource;
    String acr = id.managed() ? "2" : id.certificates().isEmpty() ? "1" : "2";
    return new TokenIssuer.Grant(
        audience, id.objectId(), id.clientId(), acr, roles, id.resourceId(), lifetime);
  }
}
