package io.dirpipe.cli;

import com.azure.core.credential.TokenRequestContext;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.identity.IdentityConfig;
import java.util.Map;

/**
 * The Kafka side of a command's configuration: brokers, topics and their formats, and the schema
 * registry, authenticated with the command's Azure identity when {@code
 * schema-registry.bearer-auth.scope} asks for it.
 */
public final class KafkaWiring {
  private KafkaWiring() {}

  public static TopicsConfig config(Map<String, ?> values) {
    TopicsConfig kafka = new TopicsConfig(values);
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
}
