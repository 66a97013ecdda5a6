package io.dirpipe.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.identity.credential.CredentialKind;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class IdentityConfigTest {
  static final Map<String, Object> VALUES =
      Map.of(
          "tenant.id", "base.onmicrosoft.com",
          "credential", "managed-identity",
          "graph.url", "https://graph.microsoft.com",
          "tenants.fabrikam.tenant.id", "fabrikam.onmicrosoft.com",
          "tenants.fabrikam.credential", "client-secret",
          "tenants.fabrikam.client.id", "app-fab",
          "tenants.fabrikam.client.secret-file", "/run/secrets/fab");

  @Test
  void theBaseTenantUsesTheBaseKeysAndOthersTheirBlockOverThem() {
    IdentityConfig base = IdentityConfig.forTenant(VALUES, "base.onmicrosoft.com");
    assertThat(base.credential()).isEqualTo(CredentialKind.MANAGED_IDENTITY);

    IdentityConfig fab = IdentityConfig.forTenant(VALUES, "fabrikam.onmicrosoft.com");
    assertThat(fab.tenantId()).isEqualTo("fabrikam.onmicrosoft.com");
    assertThat(fab.credential()).isEqualTo(CredentialKind.CLIENT_SECRET);
    assertThat(fab.clientId()).isEqualTo("app-fab");
    assertThat(fab.getString(IdentityConfig.CLIENT_SECRET_FILE)).isEqualTo("/run/secrets/fab");
    assertThat(fab.graphUrl()).isEqualTo("https://graph.microsoft.com");
  }

  @Test
  void anUnconfiguredTenantOrAnUnknownKeyFailsByName() {
    assertThatThrownBy(() -> IdentityConfig.forTenant(VALUES, "other.onmicrosoft.com"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("other.onmicrosoft.com");
    Map<String, Object> typo =
        Map.of("tenants.x.tenant.id", "x.onmicrosoft.com", "tenants.x.client.sekret", "s");
    assertThatThrownBy(() -> IdentityConfig.forTenant(typo, "x.onmicrosoft.com"))
        .hasMessageContaining("tenants.x.client.sekret");
  }

  @Test
  void aTenantThatIsNotAGuidOrADomainIsRefusedWithoutRepeatingIt() {
    for (String bad : java.util.List.of("x/../../ESCAPED", "t\nforged line", "..")) {
      assertThatThrownBy(() -> new IdentityConfig(Map.of("tenant.id", bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("tenant.id must be a tenant id")
          .hasMessageNotContaining(bad);
      assertThatThrownBy(() -> IdentityConfig.forTenant(VALUES, bad)).hasMessageNotContaining(bad);
    }
  }

  @Test
  void graphTokensTravelOverHttpsOrStayOnThisMachine() {
    assertThat(graph("https://graph.microsoft.com/").graphUrl())
        .isEqualTo("https://graph.microsoft.com");
    assertThat(graph("http://127.0.0.1:8080").graphUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(graph("http://localhost:8080").graphUrl()).isEqualTo("http://localhost:8080");
    assertThatThrownBy(() -> graph("http://graph.example.com").graphUrl())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unencrypted");
    assertThatThrownBy(() -> graph("ftp://graph.example.com").graphUrl())
        .hasMessageContaining("https");
    assertThat(
            new IdentityConfig(
                    Map.of("graph.url", "http://sandbox:8080", "graph.allow-http", "true"))
                .graphUrl())
        .isEqualTo("http://sandbox:8080");
  }

  private static IdentityConfig graph(String url) {
    return new IdentityConfig(Map.of("graph.url", url));
  }
}
