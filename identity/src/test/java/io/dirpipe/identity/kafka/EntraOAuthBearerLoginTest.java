package io.dirpipe.identity.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The OAUTHBEARER login asks the process's credential for the namespace's scope. */
class EntraOAuthBearerLoginTest {
  @Test
  void theScopeIsTheNamespaceOfTheFirstBootstrapServerUnlessTheJaasOptionNamesOne() {
    assertThat(EntraOAuthBearerLogin.scopeOf("contoso.servicebus.windows.net:9093,other:9093"))
        .isEqualTo("https://contoso.servicebus.windows.net/.default");
    assertThat(EntraOAuthBearerLogin.scopeOf(List.of("gov.servicebus.usgovcloudapi.net:9093")))
        .isEqualTo("https://gov.servicebus.usgovcloudapi.net/.default");
  }

  @Test
  void theTokenCallbackGetsTheCredentialsTokenForThatScope() throws Exception {
    String[] asked = new String[1];
    EntraOAuthBearerLogin.use(
        request -> {
          asked[0] = String.join(" ", request.getScopes());
          return Mono.just(new AccessToken("t0ken", OffsetDateTime.now().plusHours(1)));
        });
    EntraOAuthBearerLogin login = new EntraOAuthBearerLogin();
    AppConfigurationEntry jaas =
        new AppConfigurationEntry(
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule",
            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
            Map.of("scope", "https://ns.servicebus.windows.net/.default"));
    login.configure(Map.of("bootstrap.servers", "127.0.0.1:9093"), "OAUTHBEARER", List.of(jaas));
    OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
    login.handle(new Callback[] {callback});
    assertThat(asked[0]).isEqualTo("https://ns.servicebus.windows.net/.default");
    assertThat(callback.token().value()).isEqualTo("t0ken");
    assertThat(callback.token().scope())
        .containsExactly("https://ns.servicebus.windows.net/.default");
    assertThat(callback.token().toString()).doesNotContain("t0ken");
  }
}
