package io.dirpipe.identity.kafka;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Kafka's {@code sasl.login.callback.handler.class} for SASL OAUTHBEARER with an Entra token, as
 * Azure Event Hubs' Kafka endpoint takes it: the token of the process's Azure identity (dirpipe's
 * configured credential, see {@link #use}; otherwise azure-identity's DefaultAzureCredential) for
 * the namespace, scope {@code https://<namespace>.servicebus.windows.net/.default} (from the first
 * bootstrap server's host), or the JAAS option {@code scope}. Kafka calls it again before the token
 * expires, so the connection re-authenticates with a fresh one.
 */
public final class EntraOAuthBearerLogin implements AuthenticateCallbackHandler {
  /** The JAAS option naming the scope, for a namespace reached by another name. */
  public static final String SCOPE_OPTION = "scope";

  private static volatile TokenCredential processCredential;

  private TokenCredential credential;
  private String scope;

  /**
   * The credential every Kafka client of this process authenticates with: dirpipe's own, built from
   * its identity configuration (Kafka instantiates this handler by class name, with no way to hand
   * it an object).
   */
  public static void use(TokenCredential credential) {
    processCredential = credential;
  }

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    if (!"OAUTHBEARER".equals(saslMechanism)) {
      throw new ConfigException(
          "EntraOAuthBearerLogin serves sasl.mechanism=OAUTHBEARER, not " + saslMechanism);
    }
    Object option =
        jaasConfigEntries.isEmpty()
            ? null
            : jaasConfigEntries.get(0).getOptions().get(SCOPE_OPTION);
    scope =
        option != null
            ? option.toString()
            : scopeOf(configs.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    TokenCredential c = processCredential;
    credential = c != null ? c : new DefaultAzureCredentialBuilder().build();
  }

  /** {@code https://<host of the first bootstrap server>/.default}. */
  static String scopeOf(Object bootstrap) {
    String first =
        bootstrap instanceof List<?> l && !l.isEmpty()
            ? l.get(0).toString()
            : String.valueOf(bootstrap).split(",")[0].trim();
    String host = URI.create("kafka://" + first).getHost();
    if (host == null) {
      throw new ConfigException(
          "Cannot take the Event Hubs namespace from bootstrap.servers '"
              + first
              + "': set the JAAS option scope=\"https://<namespace>.servicebus.windows.net/.default\"");
    }
    return "https://" + host + "/.default";
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (!(callback instanceof OAuthBearerTokenCallback tokens)) {
        throw new UnsupportedCallbackException(callback);
      }
      try {
        AccessToken t = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
        tokens.token(new Token(t.getToken(), scope, t.getExpiresAt().toInstant().toEpochMilli()));
      } catch (RuntimeException e) {
        // the message only: a token endpoint's answer never includes the token
        tokens.error("invalid_token", "No Entra token for " + scope + ": " + e.getMessage(), null);
      }
    }
  }

  @Override
  public void close() {}

  /** A token as Kafka's SASL client hands it to the broker. */
  private record Token(String value, String scopeName, long lifetimeMs)
      implements OAuthBearerToken {
    @Override
    public Set<String> scope() {
      return Set.of(scopeName);
    }

    @Override
    public String principalName() {
      return "entra"; // the broker takes the principal from the token's own claims
    }

    @Override
    public Long startTimeMs() {
      return null;
    }

    @Override
    public String toString() {
      return "Token[scope=" + scopeName + "]"; // never the value
    }
  }
}
