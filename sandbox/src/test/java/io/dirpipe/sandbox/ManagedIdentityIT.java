package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.tenant.Identity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * azure-identity's ManagedIdentityCredential, unmodified, in a child JVM whose environment comes
 * from the sandbox.
 */
class ManagedIdentityIT {
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(100));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void systemAssignedThroughTheAppServiceEndpoint() throws Exception {
    Map<String, String> env = sandbox.environment();
    JsonNode claims =
        TokenProbe.run(
            Map.of(
                "IDENTITY_ENDPOINT",
                env.get("IDENTITY_ENDPOINT"),
                "IDENTITY_HEADER",
                env.get("IDENTITY_HEADER"),
                "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                env.get("AZURE_POD_IDENTITY_AUTHORITY_HOST")));

    assertSystemAssigned(claims);
    assertThat(sandbox.stats().requests("GET /msi/token", 200)).isPositive();
  }

  @Test
  void systemAssignedThroughImds() throws Exception {
    JsonNode claims =
        TokenProbe.run(
            Map.of(
                "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                sandbox.environment().get("AZURE_POD_IDENTITY_AUTHORITY_HOST")));

    assertSystemAssigned(claims);
    assertThat(sandbox.stats().requests("GET /metadata/identity/oauth2/token", 200)).isPositive();
  }

  @Test
  void userAssignedByClientIdThroughBothEndpoints() throws Exception {
    Identity uami = sandbox.userAssigned();
    Map<String, String> env = sandbox.environment();

    JsonNode appService =
        TokenProbe.run(
            Map.of(
                "IDENTITY_ENDPOINT",
                env.get("IDENTITY_ENDPOINT"),
                "IDENTITY_HEADER",
                env.get("IDENTITY_HEADER"),
                "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                env.get("AZURE_POD_IDENTITY_AUTHORITY_HOST")),
            uami.clientId());
    JsonNode imds =
        TokenProbe.run(
            Map.of(
                "AZURE_POD_IDENTITY_AUTHORITY_HOST", env.get("AZURE_POD_IDENTITY_AUTHORITY_HOST")),
            uami.clientId());

    for (JsonNode claims : List.of(appService, imds)) {
      assertThat(claims.path("oid").asText()).isEqualTo(uami.objectId());
      assertThat(claims.path("appid").asText()).isEqualTo(uami.clientId());
      assertThat(claims.path("xms_mirid").asText()).isEqualTo(uami.resourceId());
    }
  }

  private void assertSystemAssigned(JsonNode claims) {
    Identity mi = sandbox.systemAssigned();
    assertThat(claims.path("aud").asText()).isEqualTo("https://graph.microsoft.com");
    assertThat(claims.path("oid").asText()).isEqualTo(mi.objectId());
    assertThat(claims.path("tid").asText()).isEqualTo(sandbox.tenant().tenantId());
    assertThat(claims.path("idtyp").asText()).isEqualTo("app");
    assertThat(claims.path("roles").toString()).contains("Directory.Read.All");
    assertThat(claims.has("scp")).isFalse();
    assertThat(claims.path("exp").asLong()).isGreaterThan(claims.path("iat").asLong() + 3600);
  }
}
