package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.token.TlsMaterial;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * azure-identity's ClientSecretCredential and ClientCertificateCredential against the https token
 * endpoint.
 */
class ClientCredentialsIT {
  static Sandbox sandbox;
  static SandboxClients clients;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(100));
    clients = new SandboxClients(sandbox);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void clientSecretGetsAGraphTokenWithTheAppsRoles() throws Exception {
    JsonNode claims = SandboxClients.claims(clients.graphToken());

    assertThat(claims.path("appid").asText()).isEqualTo(sandbox.application().clientId());
    assertThat(claims.path("oid").asText()).isEqualTo(sandbox.application().objectId());
    assertThat(claims.path("appidacr").asText()).isEqualTo("1");
    assertThat(claims.path("roles").toString()).contains("Directory.Read.All");
    assertThat(claims.path("iss").asText())
        .isEqualTo("https://sts.windows.net/" + sandbox.tenant().tenantId() + "/");
  }

  @Test
  void clientCertificateGetsATokenFromASignedAssertion(@TempDir Path dir) throws Exception {
    KeyPair keys = TlsMaterial.rsaKeyPair();
    X509Certificate cert = TlsMaterial.selfSigned(keys, "CN=dirpipe-cert-app", false);
    Identity app =
        sandbox
            .tenant()
            .addApplication(
                "cert-app", List.of("User.Read.All"), List.of(cert), Duration.ofDays(1));
    Path pem = dir.resolve("app.pem");
    SandboxClients.writePem(pem, keys, cert);

    TokenCredential credential =
        new ClientCertificateCredentialBuilder()
            .tenantId(sandbox.tenant().tenantId())
            .clientId(app.clientId())
            .pemCertificate(pem.toString())
            .authorityHost(sandbox.authorityHost())
            .disableInstanceDiscovery()
            .httpClient(clients.azureHttpClient())
            .build();
    JsonNode claims = SandboxClients.claims(clients.token(credential, SandboxClients.GRAPH_SCOPE));

    assertThat(claims.path("appid").asText()).isEqualTo(app.clientId());
    assertThat(claims.path("appidacr").asText()).isEqualTo("2");
    assertThat(claims.path("roles").toString())
        .contains("User.Read.All")
        .doesNotContain("Directory.Read.All");
  }

  @Test
  void wrongSecretFailsWithAadsts7000215() {
    TokenCredential wrong =
        new ClientSecretCredentialBuilder()
            .tenantId(sandbox.tenant().tenantId())
            .clientId(sandbox.application().clientId())
            .clientSecret("not-the-secret")
            .authorityHost(sandbox.authorityHost())
            .disableInstanceDiscovery()
            .httpClient(clients.azureHttpClient())
            .build();

    assertThatThrownBy(() -> clients.token(wrong, SandboxClients.GRAPH_SCOPE))
        .hasStackTraceContaining("AADSTS7000215");
  }

  @Test
  void aMonitorTokenHasTheMonitorAudienceAndNoGraphRoles() throws Exception {
    JsonNode claims =
        SandboxClients.claims(
            clients.token(clients.appCredential(), "https://monitor.azure.com//.default"));

    assertThat(claims.path("aud").asText()).isEqualTo("https://monitor.azure.com/");
    assertThat(claims.has("roles")).isFalse();
  }
}
