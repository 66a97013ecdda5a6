package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.graph.Throttle;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each error case of FACTS.md answers with the documented status, code and message. */
class FactsIT {
  static Sandbox sandbox;
  static SandboxClients clients;
  static String token;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(2_000).withQuota(Throttle.Quota.OFF));
    clients = new SandboxClients(sandbox);
    token = clients.graphToken();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static JsonNode error(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = SandboxClients.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo(code);
    return error;
  }

  private static String mint(String aud, long expOffsetSeconds, List<String> roles, String scp)
      throws Exception {
    ObjectNode c = SandboxClients.JSON.createObjectNode();
    long now = Instant.now().getEpochSecond();
    c.put("aud", aud)
        .put("iss", "https://sts.windows.net/" + sandbox.tenant().tenantId() + "/")
        .put("tid", sandbox.tenant().tenantId());
    c.put("iat", now - 7200).put("nbf", now - 7200).put("exp", now + expOffsetSeconds);
    c.put("oid", sandbox.application().objectId())
        .put("appid", sandbox.application().clientId())
        .put("idtyp", scp == null ? "app" : "user");
    if (!roles.isEmpty()) {
      roles.forEach(c.putArray("roles")::add);
    }
    if (scp != null) {
      c.put("scp", scp);
    }
    return clients.control("tokens", c.toString()).path("access_token").asText();
  }

  @Test
  void expiredTokenIs401LifetimeValidationFailed() throws Exception {
    String expired = mint("https://graph.microsoft.com", -60, List.of("Directory.Read.All"), null);
    JsonNode e = error(clients.get("/v1.0/users", expired), 401, "InvalidAuthenticationToken");
    assertThat(e.path("message").asText())
        .isEqualTo("Lifetime validation failed, the token is expired.");
  }

  @Test
  void tokenForAnotherAudienceIs401InvalidAudience() throws Exception {
    String arm = mint("https://management.azure.com/", 3600, List.of("Directory.Read.All"), null);
    JsonNode e = error(clients.get("/v1.0/users", arm), 401, "InvalidAuthenticationToken");
    assertThat(e.path("message").asText())
        .isEqualTo("Access token validation failure. Invalid audience.");
  }

  @Test
  void missingPermissionIs403WithTheEnvelopeAndRequestIds() throws Exception {
    String usersOnly = mint("https://graph.microsoft.com", 3600, List.of("User.Read.All"), null);
    assertThat(clients.get("/v1.0/users?$top=1", usersOnly).statusCode()).isEqualTo(200);

    HttpResponse<String> r = clients.get("/v1.0/groups", usersOnly, "client-request-id", "abc-123");
    JsonNode e = error(r, 403, "Authorization_RequestDenied");
    assertThat(e.path("message").asText())
        .isEqualTo("Insufficient privileges to complete the operation.");
    assertThat(e.path("innerError").path("request-id").asText())
        .isNotBlank()
        .isEqualTo(r.headers().firstValue("request-id").orElseThrow());
    assertThat(e.path("innerError").path("client-request-id").asText()).isEqualTo("abc-123");
    assertThat(e.path("innerError").path("date").asText()).endsWith("Z");
  }

  @Test
  void delegatedTokenWithoutTheScopeIs403() throws Exception {
    String delegated = mint("https://graph.microsoft.com", 3600, List.of(), "User.Read");
    error(clients.get("/v1.0/groups", delegated), 403, "Authorization_RequestDenied");
  }

  @Test
  void pageSizeOver999Is400() throws Exception {
    JsonNode e =
        error(clients.get("/v1.0/users?$top=1000", token), 400, "Request_UnsupportedQuery");
    assertThat(e.path("message").asText())
        .isEqualTo("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
  }

  @Test
  void unsupportedFilterPropertyIs400() throws Exception {
    JsonNode e =
        error(
            clients.get("/v1.0/users?$filter=" + enc("favouriteColour eq 'blue'"), token),
            400,
            "Request_UnsupportedQuery");
    assertThat(e.path("message").asText())
        .isEqualTo(
            "Unsupported or invalid query filter clause specified for property 'favouriteColour' of resource 'User'.");
  }

  @Test
  void unknownSelectPropertyIs400() throws Exception {
    JsonNode e = error(clients.get("/v1.0/users?$select=id,shoeSize", token), 400, "BadRequest");
    assertThat(e.path("message").asText())
        .isEqualTo("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  }

  @Test
  void filtersAndCountsWork() throws Exception {
    HttpResponse<String> r =
        clients.get(
            "/v1.0/users?$count=true&$top=5&$select=id,userType&$filter="
                + enc("userType eq 'Guest' and accountEnabled eq true"),
            token,
            "ConsistencyLevel",
            "eventual");
    JsonNode page = SandboxClients.json(r);
    assertThat(page.path("@odata.count").asLong()).isPositive().isLessThan(2_000);
    page.path("value").forEach(u -> assertThat(u.path("userType").asText()).isEqualTo("Guest"));

    error(clients.get("/v1.0/users?$count=true", token), 400, "Request_BadRequest");
    assertThat(clients.get("/v1.0/users/$count", token, "ConsistencyLevel", "eventual").body())
        .isEqualTo("2000");

    JsonNode graphSp =
        SandboxClients.json(
            clients.get(
                "/v1.0/servicePrincipals?$select=id,appId,appRoles&$filter="
                    + enc("appId eq '00000003-0000-0000-c000-000000000000'"),
                token));
    assertThat(graphSp.path("value")).hasSize(1);
    assertThat(graphSp.path("value").get(0).path("appRoles").toString())
        .contains("df021288-bdef-4463-88db-98f22de89214", "Application");
  }

  @Test
  void nextLinksAreAbsoluteOpaqueAndKeepTheQuery() throws Exception {
    JsonNode page =
        SandboxClients.json(clients.get("/v1.0/users?$top=999&$select=id,displayName", token));
    String next = page.path("@odata.nextLink").asText();
    assertThat(next)
        .startsWith(sandbox.url() + "/v1.0/users?")
        .contains("$top=999", "$select=id,displayName", "$skiptoken=");
    JsonNode second =
        SandboxClients.json(clients.send("GET", next, null, "Authorization", "Bearer " + token));
    assertThat(second.path("value")).hasSize(999);
    JsonNode third =
        SandboxClients.json(
            clients.send(
                "GET",
                second.path("@odata.nextLink").asText(),
                null,
                "Authorization",
                "Bearer " + token));
    assertThat(third.path("value")).hasSize(2);
    assertThat(third.has("@odata.nextLink")).isFalse();
  }

  @Test
  void resourceUnitsAreReportedPerRequest() throws Exception {
    assertThat(clients.get("/v1.0/users?$top=5", token).headers().firstValue("x-ms-resource-unit"))
        .contains("1"); // 2, -1 for $top < 20
    assertThat(
            clients.get("/v1.0/users?$top=100", token).headers().firstValue("x-ms-resource-unit"))
        .contains("2");
    assertThat(
            clients
                .get("/v1.0/users?$top=100&$select=id", token)
                .headers()
                .firstValue("x-ms-resource-unit"))
        .contains("1");
    String group =
        SandboxClients.json(clients.get("/v1.0/groups?$top=1&$select=id", token))
            .path("value")
            .get(0)
            .path("id")
            .asText();
    assertThat(
            clients
                .get("/v1.0/groups/" + group + "/members?$top=100", token)
                .headers()
                .firstValue("x-ms-resource-unit"))
        .contains("3");
  }

  @Test
  void imdsRefusesRequestsWithoutMetadataHeaderOrThroughAProxy() throws Exception {
    String path =
        "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://graph.microsoft.com";
    HttpResponse<String> noHeader = clients.get(path, null);
    assertThat(noHeader.statusCode()).isEqualTo(400);
    assertThat(SandboxClients.json(noHeader).path("error").asText()).isEqualTo("bad_request_102");
    assertThat(SandboxClients.json(noHeader).path("error_description").asText())
        .isEqualTo("Required metadata header not specified");

    assertThat(
            clients.get(path, null, "Metadata", "true", "X-Forwarded-For", "10.0.0.1").statusCode())
        .isEqualTo(400);

    HttpResponse<String> unknown =
        clients.get(
            path + "&client_id=11111111-2222-3333-4444-555555555555", null, "Metadata", "true");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(SandboxClients.json(unknown).path("error_description").asText())
        .isEqualTo("Identity not found");

    JsonNode ok = SandboxClients.json(clients.get(path, null, "Metadata", "true"));
    assertThat(ok.path("expires_in").isTextual()).isTrue();
    assertThat(ok.path("expires_on").isTextual()).isTrue();
    assertThat(ok.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(ok.path("resource").asText()).isEqualTo("https://graph.microsoft.com");
  }

  @Test
  void tokenEndpointAnswersWithAadstsCodes() throws Exception {
    String tenant = sandbox.tenant().tenantId();
    String app = sandbox.application().clientId();
    String secret = sandbox.application().secrets().get(0).value();
    assertThat(aad(tenant, app, "wrong", "https://graph.microsoft.com/.default"))
        .isEqualTo(7000215);
    assertThat(
            aad(
                tenant,
                "11111111-2222-3333-4444-555555555555",
                secret,
                "https://graph.microsoft.com/.default"))
        .isEqualTo(700016);
    assertThat(
            aad(
                "99999999-0000-0000-0000-000000000000",
                app,
                secret,
                "https://graph.microsoft.com/.default"))
        .isEqualTo(90002);
    assertThat(aad(tenant, app, secret, "https://graph.microsoft.com/User.Read"))
        .isEqualTo(1002012);
    assertThat(
            aad(
                tenant,
                app,
                secret,
                "https://graph.microsoft.com/.default https://management.azure.com/.default"))
        .isEqualTo(700022);

    var expired =
        sandbox
            .tenant()
            .addApplication(
                "expired-secret", List.of(), List.of(), java.time.Duration.ofSeconds(-1));
    assertThat(
            aad(
                tenant,
                expired.clientId(),
                expired.secrets().get(0).value(),
                "https://graph.microsoft.com/.default"))
        .isEqualTo(7000222);
  }

  private static int aad(String tenant, String clientId, String secret, String scope)
      throws Exception {
    String form =
        "client_id="
            + enc(clientId)
            + "&client_secret="
            + enc(secret)
            + "&grant_type=client_credentials&scope="
            + enc(scope);
    HttpResponse<String> r =
        clients.send(
            "POST",
            sandbox.authorityHost() + "/" + tenant + "/oauth2/v2.0/token",
            form,
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 401);
    JsonNode body = SandboxClients.json(r);
    assertThat(body.path("error_description").asText())
        .startsWith("AADSTS" + body.path("error_codes").get(0).asInt() + ": ");
    return body.path("error_codes").get(0).asInt();
  }

  @Test
  void armIsAuthorisedByRbacNotByGraphPermissions() throws Exception {
    String miArm =
        clients.token(
            new com.azure.identity.ClientSecretCredentialBuilder()
                .tenantId(sandbox.tenant().tenantId())
                .clientId(sandbox.application().clientId())
                .clientSecret(sandbox.application().secrets().get(0).value())
                .authorityHost(sandbox.authorityHost())
                .disableInstanceDiscovery()
                .httpClient(clients.azureHttpClient())
                .build(),
            "https://management.azure.com/.default");
    String path =
        "/subscriptions/"
            + sandbox.tenant().subscriptionId()
            + "/resourcegroups?api-version=2021-04-01";
    HttpResponse<String> denied = clients.get(path, miArm);
    error(denied, 403, "AuthorizationFailed");
    assertThat(SandboxClients.json(denied).path("error").path("message").asText())
        .contains(
            sandbox.application().objectId(),
            "Microsoft.Resources/subscriptions/resourcegroups/read");

    sandbox.tenant().armReaders().add(sandbox.application().objectId());
    JsonNode page = SandboxClients.json(clients.get(path, miArm));
    assertThat(page.path("value").size()).isPositive();
    assertThat(page.path("nextLink").asText()).contains("/resourcegroups?api-version=2021-04-01");
    error(clients.get(path, token), 401, "InvalidAuthenticationTokenAudience");
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
