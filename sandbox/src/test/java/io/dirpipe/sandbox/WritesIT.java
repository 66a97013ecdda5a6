package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.tenant.GraphPermissions;
import io.dirpipe.sandbox.tenant.Identity;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Graph writes change what reads and delta return; app-role assignments change what tokens carry.
 */
class WritesIT {
  static Sandbox sandbox;
  static SandboxClients clients;
  static String admin;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(500).withQuota(Throttle.Quota.OFF));
    clients = new SandboxClients(sandbox);
    Identity app =
        sandbox
            .tenant()
            .addApplication(
                "admin",
                List.of("Directory.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"),
                List.of(),
                Duration.ofDays(1));
    admin = clients.token(credential(app), SandboxClients.GRAPH_SCOPE);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static TokenCredential credential(Identity app) {
    return new ClientSecretCredentialBuilder()
        .tenantId(sandbox.tenant().tenantId())
        .clientId(app.clientId())
        .clientSecret(app.secrets().get(0).value())
        .authorityHost(sandbox.authorityHost())
        .disableInstanceDiscovery()
        .httpClient(clients.azureHttpClient())
        .build();
  }

  private static HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    return clients.send(
        method,
        sandbox.url() + path,
        body,
        "Authorization",
        "Bearer " + token,
        "Content-Type",
        "application/json");
  }

  @Test
  void usersAreCreatedUpdatedAndDeletedAndDeltaSeesIt() throws Exception {
    String link =
        SandboxClients.json(clients.get("/v1.0/users/delta?$deltatoken=latest", admin))
            .path("@odata.deltaLink")
            .asText();

    HttpResponse<String> created =
        call(
            "POST",
            "/v1.0/users",
            "{\"displayName\":\"Rosalind Franklin\",\"userPrincipalName\":\"rosalind@dirpipe-sandbox.onmicrosoft.com\",\"mailNickname\":\"rosalind\",\"accountEnabled\":true,\"passwordProfile\":{\"password\":\"x\"}}",
            admin);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = SandboxClients.json(created).path("id").asText();
    assertThat(created.body()).doesNotContain("passwordProfile");

    assertThat(call("PATCH", "/v1.0/users/" + id, "{\"jobTitle\":\"Chemist\"}", admin).statusCode())
        .isEqualTo(204);
    assertThat(
            SandboxClients.json(clients.get("/v1.0/users/" + id + "?$select=id,jobTitle", admin))
                .path("jobTitle")
                .asText())
        .isEqualTo("Chemist");
    assertThat(call("PATCH", "/v1.0/users/" + id, "{\"shoeSize\":9}", admin).statusCode())
        .isEqualTo(400);

    JsonNode delta =
        SandboxClients.json(clients.send("GET", link, null, "Authorization", "Bearer " + admin));
    assertThat(delta.path("value")).hasSize(1);
    assertThat(delta.path("value").get(0).path("id").asText()).isEqualTo(id);

    assertThat(call("DELETE", "/v1.0/users/" + id, null, admin).statusCode()).isEqualTo(204);
    assertThat(clients.get("/v1.0/users/" + id, admin).statusCode()).isEqualTo(404);
    JsonNode after =
        SandboxClients.json(
            clients.send(
                "GET",
                delta.path("@odata.deltaLink").asText(),
                null,
                "Authorization",
                "Bearer " + admin));
    assertThat(after.path("value").get(0).path("@removed").path("reason").asText())
        .isEqualTo("changed");
  }

  @Test
  void membersAreAddedAndRemovedByReference() throws Exception {
    String group =
        SandboxClients.json(clients.get("/v1.0/groups?$top=1&$select=id", admin))
            .path("value")
            .get(0)
            .path("id")
            .asText();
    int before =
        Integer.parseInt(
            clients
                .get(
                    "/v1.0/groups/" + group + "/members/$count",
                    admin,
                    "ConsistencyLevel",
                    "eventual")
                .body());
    String user =
        SandboxClients.json(
                call(
                    "POST",
                    "/v1.0/users",
                    "{\"displayName\":\"New\",\"userPrincipalName\":\"new@x\",\"mailNickname\":\"new\",\"accountEnabled\":true}",
                    admin))
            .path("id")
            .asText();

    String ref =
        "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + user + "\"}";
    assertThat(call("POST", "/v1.0/groups/" + group + "/members/$ref", ref, admin).statusCode())
        .isEqualTo(204);
    assertThat(call("POST", "/v1.0/groups/" + group + "/members/$ref", ref, admin).statusCode())
        .as("already a member")
        .isEqualTo(400);
    assertThat(
            clients
                .get(
                    "/v1.0/groups/" + group + "/members/$count",
                    admin,
                    "ConsistencyLevel",
                    "eventual")
                .body())
        .isEqualTo(Integer.toString(before + 1));

    assertThat(
            call("DELETE", "/v1.0/groups/" + group + "/members/" + user + "/$ref", null, admin)
                .statusCode())
        .isEqualTo(204);
    assertThat(
            clients
                .get(
                    "/v1.0/groups/" + group + "/members/$count",
                    admin,
                    "ConsistencyLevel",
                    "eventual")
                .body())
        .isEqualTo(Integer.toString(before));
  }

  @Test
  void readOnlyTokensCannotWrite() throws Exception {
    HttpResponse<String> r =
        call("POST", "/v1.0/users", "{\"displayName\":\"x\"}", clients.graphToken());
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void appRoleAssignmentsGrantPermissionsToNewTokens() throws Exception {
    Identity mi = sandbox.userAssigned();
    String path = "/v1.0/servicePrincipals/" + mi.objectId() + "/appRoleAssignments";
    JsonNode existing = SandboxClients.json(clients.get(path, admin)).path("value");
    assertThat(existing.toString()).contains(GraphPermissions.APP_ROLES.get("Directory.Read.All"));

    String body =
        "{\"principalId\":\""
            + mi.objectId()
            + "\",\"resourceId\":\""
            + sandbox.tenant().graphServicePrincipalId()
            + "\",\"appRoleId\":\""
            + GraphPermissions.APP_ROLES.get("AuditLog.Read.All")
            + "\"}";
    HttpResponse<String> added = call("POST", path, body, admin);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(call("POST", path, body, admin).statusCode()).as("second time").isEqualTo(400);
    assertThat(sandbox.tenant().permissionsOf(mi.objectId())).contains("AuditLog.Read.All");

    String unknownRole =
        body.replace(
            GraphPermissions.APP_ROLES.get("AuditLog.Read.All"),
            "00000000-0000-0000-0000-000000000000");
    assertThat(call("POST", path, unknownRole, admin).statusCode()).isEqualTo(400);
  }
}
