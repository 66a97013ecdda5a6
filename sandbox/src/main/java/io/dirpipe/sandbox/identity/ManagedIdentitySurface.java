package io.dirpipe.sandbox.identity;

import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Faults;
import io.dirpipe.sandbox.http.Refusal;
import io.dirpipe.sandbox.http.Stats;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The managed-identity endpoints of a host: IMDS ({@code /metadata/identity/oauth2/token}, header
 * {@code Metadata: true}) and App Service ({@code /msi/token}, header {@code X-IDENTITY-HEADER}).
 * Answers carry every value as a string, as the real endpoints do.
 */
public final class ManagedIdentitySurface implements Surface {
  public static final String IMDS_PATH = "/metadata/identity/oauth2/token";
  public static final String APP_SERVICE_PATH = "/msi/token";

  /** Managed-identity tokens live about a day on Azure (not an hour). */
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(86_399);

  private final Tenant tenant;
  private final TokenIssuer issuer;
  private final Faults faults;
  private final Stats stats;
  private final String identityHeader;

  public ManagedIdentitySurface(
      Tenant tenant, TokenIssuer issuer, Faults faults, Stats stats, String identityHeader) {
    this.tenant = tenant;
    this.issuer = issuer;
    this.faults = faults;
    this.stats = stats;
    this.identityHeader = identityHeader;
  }

  @Override
  public boolean owns(String path) {
    return path.equals(IMDS_PATH) || path.equals(APP_SERVICE_PATH);
  }

  @Override
  public void handle(Exchange ex) throws IOException {
    boolean imds = ex.path().equals(IMDS_PATH);
    String route = "GET " + ex.path();
    Map<String, Object> answer;
    int status = 200;
    try {
      if (!ex.method().equals("GET")) {
        throw new Refusal(405, "invalid_request", "Only GET is allowed.");
      }
      checkRequest(ex, imds);
      Identity id = select(ex, imds);
      String resource = ex.query("resource");
      answer = token(id, resource, imds);
      stats.add("tokensIssued", 1);
    } catch (Refusal r) {
      status = r.status();
      answer = Map.of("error", r.code(), "error_description", r.getMessage());
    }
    stats.request(route, status);
    ex.sendJson(status, answer);
  }

  private void checkRequest(Exchange ex, boolean imds) {
    if (imds) {
      if (!"true".equalsIgnoreCase(ex.header("Metadata"))) {
        throw new Refusal(400, "bad_request_102", "Required metadata header not specified");
      }
      if (ex.header("X-Forwarded-For") != null) {
        throw new Refusal(
            400,
            "bad_request_103",
            "Request must not contain X-Forwarded-For (IMDS refuses proxied requests)");
      }
    } else if (!identityHeader.equals(ex.header("X-IDENTITY-HEADER"))) {
      throw new Refusal(401, "unauthorized", "X-IDENTITY-HEADER missing or wrong");
    }
    for (Map.Entry<String, List<String>> e : ex.queryParameters().entrySet()) {
      if (e.getValue().size() > 1) {
        throw new Refusal(400, "invalid_request", "Duplicate query parameter '" + e.getKey() + "'");
      }
    }
    String api = ex.query("api-version");
    if (api == null || !(imds ? api.compareTo("2018-02-01") >= 0 : api.equals("2019-08-01"))) {
      throw new Refusal(
          400,
          "invalid_request",
          "Required query variable 'api-version' is missing or not supported");
    }
    String resource = ex.query("resource");
    if (resource == null || resource.isBlank()) {
      throw new Refusal(400, "invalid_request", "Required query variable 'resource' is missing");
    }
    if (!Audiences.known(resource, issuer.cloud())) {
      throw new Refusal(
          400,
          "invalid_resource",
          "AADSTS500011: The resource principal named "
              + resource
              + " was not found in the tenant.");
    }
  }

  private Identity select(Exchange ex, boolean imds) {
    String clientId = ex.query("client_id");
    String objectId =
        ex.query("object_id") != null
            ? ex.query("object_id")
            : imds ? null : ex.query("principal_id");
    String resourceId =
        ex.query("msi_res_id") != null ? ex.query("msi_res_id") : ex.query("mi_res_id");
    int given =
        (clientId != null ? 1 : 0) + (objectId != null ? 1 : 0) + (resourceId != null ? 1 : 0);
    if (given > 1) {
      throw new Refusal(
          400, "invalid_request", "Only one of client_id, object_id and mi_res_id may be given");
    }
    Identity id =
        clientId != null
            ? tenant.identityByClientId(clientId)
            : objectId != null
                ? tenant.identityByObjectId(objectId)
                : resourceId != null
                    ? tenant.identityByResourceId(resourceId)
                    : tenant.systemAssigned();
    if (id == null || !id.managed() || (given == 0 && id.type() != Identity.Type.SYSTEM_ASSIGNED)) {
      throw new Refusal(400, "invalid_request", "Identity not found");
    }
    return id;
  }

  private Map<String, Object> token(Identity id, String resource, boolean imds) {
    Duration lifetime =
        faults.tokenLifetimeSeconds > 0
            ? Duration.ofSeconds(faults.tokenLifetimeSeconds)
            : DEFAULT_LIFETIME;
    String token = issuer.issue(Audiences.grant(tenant, id, resource, lifetime, issuer.cloud()));
    long now = tenant.clock().instant().getEpochSecond();
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("access_token", token);
    if (imds) {
      a.put("refresh_token", "");
      a.put("expires_in", Long.toString(lifetime.toSeconds()));
      a.put("ext_expires_in", Long.toString(lifetime.toSeconds()));
    }
    a.put("expires_on", Long.toString(now + lifetime.toSeconds()));
    a.put("not_before", Long.toString(now));
    a.put("resource", resource);
    a.put("token_type", "Bearer");
    a.put("client_id", id.clientId());
    return a;
  }
}
