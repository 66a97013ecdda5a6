package io.dirpipe.sandbox.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Faults;
import io.dirpipe.sandbox.http.Stats;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.Jwt;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Entra v2.0 token endpoint {@code POST /{tenant}/oauth2/v2.0/token} for the client-credentials
 * grant with a client secret or a certificate assertion (FACTS.md §3), with AADSTS errors. Served
 * over https.
 */
public final class TokenEndpointSurface implements Surface {
  private static final Pattern PATH = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(3599);
  private static final String ASSERTION_TYPE =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final Tenant tenant;
  private final TokenIssuer issuer;
  private final Faults faults;
  private final Stats stats;

  public TokenEndpointSurface(Tenant tenant, TokenIssuer issuer, Faults faults, Stats stats) {
    this.tenant = tenant;
    this.issuer = issuer;
    this.faults = faults;
    this.stats = stats;
  }

  @Override
  public boolean owns(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public void handle(Exchange ex) throws IOException {
    Matcher m = PATH.matcher(ex.path());
    m.matches();
    int status = 200;
    Map<String, Object> answer;
    try {
      if (!ex.method().equals("POST")) {
        throw new AadError(
            405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
      }
      if (faults.takeTokenUnavailable()) {
        throw new AadError(
            503,
            "temporarily_unavailable",
            90033,
            "A transient error has occurred. Please try again.");
      }
      answer = token(ex, m.group(1), form(ex.bodyText()));
      stats.add("tokensIssued", 1);
    } catch (AadError e) {
      status = e.status;
      answer = new LinkedHashMap<>();
      answer.put("error", e.error);
      answer.put(
          "error_description",
          "AADSTS"
              + e.code
              + ": "
              + e.getMessage()
              + "\r\nTrace ID: "
              + UUID.randomUUID()
              + "\r\nTimestamp: "
              + Instant.now());
      answer.put("error_codes", List.of(e.code));
      answer.put("timestamp", Instant.now().toString());
      answer.put("trace_id", UUID.randomUUID().toString());
      answer.put("correlation_id", UUID.randomUUID().toString());
    }
    stats.request("POST /{tenant}/oauth2/v2.0/token", status);
    ex.sendJson(status, answer);
  }

  private Map<String, Object> token(Exchange ex, String tenantInPath, Map<String, String> form) {
    if (!tenantInPath.equals(tenant.tenantId())) {
      throw new AadError(
          400,
          "invalid_request",
          90002,
          "Tenant '"
              + tenantInPath
              + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      throw new AadError(
          400,
          "unsupported_grant_type",
          70003,
          "The app requested an unsupported grant type '" + form.get("grant_type") + "'.");
    }
    String clientId = form.get("client_id");
    Identity app = tenant.identityByClientId(clientId);
    if (app == null || app.managed()) {
      throw new AadError(
          400,
          "unauthorized_client",
          700016,
          "Application with identifier '"
              + clientId
              + "' was not found in the directory '"
              + tenant.tenantId()
              + "'.");
    }
    String resource = resource(form.get("scope"));
    if (form.containsKey("client_secret")) {
      checkSecret(app, form.get("client_secret"));
    } else if (ASSERTION_TYPE.equals(form.get("client_assertion_type"))
        && form.get("client_assertion") != null) {
      checkAssertion(app, form.get("client_assertion"), ex);
    } else {
      throw new AadError(
          401,
          "invalid_client",
          7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    Duration lifetime =
        faults.tokenLifetimeSeconds > 0
            ? Duration.ofSeconds(faults.tokenLifetimeSeconds)
            : DEFAULT_LIFETIME;
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("token_type", "Bearer");
    a.put("expires_in", lifetime.toSeconds());
    a.put("ext_expires_in", lifetime.toSeconds());
    a.put(
        "access_token",
        issuer.issue(Audiences.grant(tenant, app, resource, lifetime, issuer.cloud())));
    return a;
  }

  /**
   * The one resource of a {@code <resource>/.default} scope; msal4j adds openid profile
   * offline_access.
   */
  private String resource(String scope) {
    if (scope == null || scope.isBlank()) {
      throw new AadError(
          400,
          "invalid_request",
          90014,
          "The required field 'scope' is missing from the credential.");
    }
    List<String> resources = new ArrayList<>();
    for (String s : scope.trim().split("\\s+")) {
      if (List.of("openid", "profile", "offline_access").contains(s)) {
        continue;
      }
      if (!s.endsWith("/.default")) {
        throw new AadError(
            400,
            "invalid_scope",
            1002012,
            "The provided value for scope "
                + s
                + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
      }
      resources.add(s.substring(0, s.length() - "/.default".length()));
    }
    if (resources.size() != 1) {
      throw new AadError(
          400,
          "invalid_scope",
          resources.isEmpty() ? 70011 : 700022,
          resources.isEmpty()
              ? "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid."
              : "The provided value for the input parameter scope is not valid because it contains more than one resource.");
    }
    String resource = resources.get(0);
    if (!Audiences.known(resource, issuer.cloud())) {
      throw new AadError(
          400,
          "invalid_resource",
          500011,
          "The resource principal named "
              + resource
              + " was not found in the tenant named "
              + "'"
              + "sandbox"
              + "'.");
    }
    return resource;
  }

  private void checkSecret(Identity app, String secret) {
    Identity.Secret match =
        app.secrets().stream()
            .filter(s -> constantTimeEquals(s.value(), secret))
            .findFirst()
            .orElse(null);
    if (match == null) {
      throw new AadError(
          401,
          "invalid_client",
          7000215,
          "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
              + app.clientId()
              + "'.");
    }
    if (match.expires().isBefore(tenant.clock().instant())) {
      throw new AadError(
          401,
          "invalid_client",
          7000222,
          "The provided client secret keys for app '"
              + app.clientId()
              + "' are expired. Visit the Azure portal to create new keys for your app.");
    }
  }

  private void checkAssertion(Identity app, String assertion, Exchange ex) {
    Jwt.Parsed jwt;
    try {
      jwt = Jwt.parse(assertion);
    } catch (IllegalArgumentException e) {
      throw new AadError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    }
    ObjectNode h = jwt.header();
    if (issuer.kid().equals(h.path("kid").asText())) {
      checkFederated(app, assertion);
      return;
    }
    X509Certificate cert =
        app.certificates().stream()
            .filter(
                c ->
                    thumbprint(c, "SHA-256").equals(base64Url(h.path("x5t#S256").asText()))
                        || thumbprint(c, "SHA-1").equals(base64Url(h.path("x5t").asText())))
            .findFirst()
            .orElseThrow(
                () ->
                    new AadError(
                        401,
                        "invalid_client",
                        700027,
                        "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]"));
    if (!Jwt.verify(jwt, cert.getPublicKey())) {
      throw new AadError(
          401, "invalid_client", 700027, "Client assertion failed signature validation.");
    }
    ObjectNode c = jwt.claims();
    if (!app.clientId().equals(c.path("iss").asText())
        || !app.clientId().equals(c.path("sub").asText())) {
      throw new AadError(
          401,
          "invalid_client",
          700021,
          "Client assertion application identifier doesn't match 'client_id' parameter.");
    }
    if (!c.path("aud").asText().endsWith("/" + tenant.tenantId() + "/oauth2/v2.0/token")) {
      throw new AadError(
          401,
          "invalid_client",
          700212,
          "No matching federated identity record found for presented assertion audience '"
              + c.path("aud").asText()
              + "'.");
    }
    long now = tenant.clock().instant().getEpochSecond();
    if (c.path("exp").asLong() < now - 300 || c.path("nbf").asLong(0) > now + 300) {
      throw new AadError(
          401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    }
  }

  /**
   * Workload identity: the assertion is a Kubernetes service-account token, here signed by the
   * sandbox's own key, standing in for the cluster's OIDC issuer.
   */
  private void checkFederated(Identity app, String assertion) {
    ObjectNode c;
    try {
      c = issuer.verify(assertion);
    } catch (io.dirpipe.sandbox.token.InvalidTokenException e) {
      throw new AadError(
          401,
          "invalid_client",
          700024,
          "Client assertion is not within its valid time range or its signature is invalid: "
              + e.getMessage()
              + ".");
    }
    if (!"api://AzureADTokenExchange".equals(c.path("aud").asText())) {
      throw new AadError(
          401,
          "invalid_client",
          700212,
          "No matching federated identity record found for presented assertion audience '"
              + c.path("aud").asText()
              + "'.");
    }
    if (!tenant.federated(app.clientId(), c.path("sub").asText())) {
      throw new AadError(
          401,
          "invalid_client",
          70021,
          "No matching federated identity record found for presented assertion. Assertion Issuer: '"
              + c.path("iss").asText()
              + "'. Assertion Subject: '"
              + c.path("sub").asText()
              + "'.");
    }
  }

  static String thumbprint(X509Certificate cert, String algorithm) {

    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(MessageDigest.getInstance(algorithm).digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Thumbprints may come base64 or base64url encoded, padded or not. */
  private static String base64Url(String value) {
    return value.replace('+', '-').replace('/', '_').replace("=", "");
  }

  private static boolean constantTimeEquals(String a, String b) {
    return b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static final class AadError extends RuntimeException {
    final int status;
    final String error;
    final int code;

    AadError(int status, String error, int code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.error = error;
      this.code = code;
    }
  }
}
