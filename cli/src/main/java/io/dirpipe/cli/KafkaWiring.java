package io.dirpipe.cli;

import com.azure.core.credential.TokenRequestContext;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.Credentials;
import io.dirpipe.identity.kafka.EntraOAuthBearerLogin;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka side of a command's configuration: brokers, topics and their formats, and the schema
 * registry, authenticated with the command's Azure identity when {@code
 * schema-registry.bearer-auth.scope} asks for it.
 */
public final class KafkaWiring {
  private KafkaWiring() {}

  static final String MECHANISM = TopicsConfig.KAFKA_PREFIX + "sasl.mechanism";
  static final String LOGIN_HANDLER =
      TopicsConfig.KAFKA_PREFIX + "sasl.login.callback.handler.class";
  static final String JAAS = TopicsConfig.KAFKA_PREFIX + "sasl.jaas.config";

  public static TopicsConfig config(Map<String, ?> values) {
    TopicsConfig kafka = new TopicsConfig(withEntraLogin(values));
    if (!kafka.getString(TopicsConfig.REGISTRY_BEARER_SCOPE).isBlank()) {
      IdentityWiring identity = new IdentityWiring(new IdentityConfig(values));
      kafka.withBearerTokens(
          scope ->
              identity
                  .credential
                  .getTokenSync(new TokenRequestContext().addScopes(scope))
                  .getToken());
    }
    return kafka;
  }

  /**
   * With {@code kafka.sasl.mechanism=OAUTHBEARER} and no login handler of the user's own: Kafka's
   * clients log in with the command's Azure identity (Azure Event Hubs' Kafka endpoint takes an
   * Entra token for the namespace), through {@link EntraOAuthBearerLogin}.
   */
  static Map<String, ?> withEntraLogin(Map<String, ?> values) {
    Object mechanism = values.get(MECHANISM);
    if (mechanism == null
        || !"OAUTHBEARER".equalsIgnoreCase(mechanism.toString().trim())
        || values.containsKey(LOGIN_HANDLER)) {
      return values;
    }
    Map<String, Object> with = new HashMap<>(values);
    with.put(LOGIN_HANDLER, EntraOAuthBearerLogin.class.getName());
    with.putIfAbsent(
        JAAS, "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    EntraOAuthBearerLogin.use(Credentials.build(new IdentityConfig(values)));
    return with;
  }
}
