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
          "tenant.id", "t-base",
          "credential", "managed-identity",
          "graph.url", "https://graph.microsoft.com",
          "tenants.fabrikam.tenant.id", "t-fab",
          "tenants.fabrikam.credential", "client-secret",
          "tenants.fabrikam.client.id", "app-fab",
          "tenants.fabrikam.client.secret-file", "/run/secrets/fab");

  @Test
  void theBaseTenantUsesTheBaseKeysAndOthersTheirBlockOverThem() {
    IdentityConfig base = IdentityConfig.forTenant(VALUES, "t-base");
    assertThat(base.credential()).isEqualTo(CredentialKind.MANAGED_IDENTITY);

    IdentityConfig fab = IdentityConfig.forTenant(VALUES, "t-fab");
    assertThat(fab.tenantId()).isEqualTo("t-fab");
    assertThat(fab.credential()).isEqualTo(CredentialKind.CLIENT_SECRET);
    assertThat(fab.clientId()).isEqualTo("app-fab");
    assertThat(fab.getString(IdentityConfig.CLIENT_SECRET_FILE)).isEqualTo("/run/secrets/fab");
    assertThat(fab.graphUrl()).isEqualTo("https://graph.microsoft.com");
  }

  @Test
  void anUnconfiguredTenantOrAnUnknownKeyFailsByName() {
    assertThatThrownBy(() -> IdentityConfig.forTenant(VALUES, "t-other"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t-other");
    Map<String, Object> typo = Map.of("tenants.x.tenant.id", "t-x", "tenants.x.client.sekret", "s");
    assertThatThrownBy(() -> IdentityConfig.forTenant(typo, "t-x"))
        .hasMessageContaining("tenants.x.client.sekret");
  }
}
