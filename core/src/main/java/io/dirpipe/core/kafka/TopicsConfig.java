package io.dirpipe.core.kafka;

import io.dirpipe.core.ConfigDurations;
import io.dirpipe.core.Durations;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.wire.Formats;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import io.dirpipe.schemas.wire.RegistryClient;
import io.dirpipe.schemas.wire.ValueFormat;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How every stage reaches the contract: the topic prefix and the Kafka client properties, passed
 * through verbatim from the {@code kafka.*} keys (e.g. {@code kafka.bootstrap.servers}, {@code
 * kafka.security.protocol}, {@code kafka.sasl.jaas.config}).
 */
public final class TopicsConfig extends AbstractConfig {
  public static final String TOPICS_PREFIX = "topics.prefix";
  public static final String BROKER_TIMEOUT = "broker.timeout";
  public static final String VALUE_FORMAT = "topics.value-format";
  public static final String REGISTRY_URL = "schema-registry.url";
  public static final String REGISTRY_USER_INFO = "schema-registry.basic-auth.user-info";
  public static final String REGISTRY_BEARER_SCOPE = "schema-registry.bearer-auth.scope";

  /** Keys under this prefix are Kafka client properties; they are not declared here. */
  public static final String KAFKA_PREFIX = "kafka.";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              TOPICS_PREFIX,
              Type.STRING,
              Topics.DEFAULT_PREFIX,
              (name, value) -> {
                try {
                  new Topics((String) value);
                } catch (IllegalArgumentException e) {
                  throw new ConfigException(name, value, e.getMessage());
                }
              },
              Importance.MEDIUM,
              "Prefix of every topic name, e.g. 'dirpipe.' or 'prod.dirpipe.'.")
          .define(
              BROKER_TIMEOUT,
              Type.STRING,
              Durations.iso(KafkaClients.DEFAULT_TIMEOUT),
              ConfigDurations.validator(Duration.ofMillis(1000)),
              Importance.MEDIUM,
              "The longest any call to the brokers waits: a dead, frozen or unreachable"
                  + " broker stops a stage within about this long, naming the bootstrap servers." + ConfigDurations.DOC)
          .define(
              VALUE_FORMAT,
              Type.STRING,
              "",
              TopicsConfig::validFormat,
              Importance.HIGH,
              "How the public topics' keys and values are written: avro-registry (the Confluent"
                  + " wire format, schemas in the registry at schema-registry.url), json (plain"
                  + " JSON) or avro (single-object Avro, no registry: only dirpipe reads it). Empty:"
                  + " avro-registry when schema-registry.url is set, avro otherwise.")
          .define(
              REGISTRY_URL,
              Type.STRING,
              "",
              Importance.HIGH,
              "Base URL of a schema registry speaking the Confluent REST API (Confluent, Apicurio's"
                  + " ccompat API, Karapace, Redpanda; dirpipe kafka prints one), e.g."
                  + " http://localhost:8081.")
          .define(
              REGISTRY_USER_INFO,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              "user:password for the registry's basic authentication (Confluent's"
                  + " basic.auth.user.info). A secret: from the environment only.")
          .define(
              REGISTRY_BEARER_SCOPE,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Authenticate to the registry with a bearer token from dirpipe's Azure identity"
                  + " (its credential setting) for this scope, e.g."
                  + " api://<registry-app-id>/.default (Confluent's bearer.auth.scope).");

  static {
    for (TopicClass c : TopicClass.values()) {
      DEF.define(
          VALUE_FORMAT + "." + c.configName(),
          Type.STRING,
          "",
          TopicsConfig::validFormat,
          Importance.LOW,
          "The value format of the "
              + c.configName()
              + " topics, overriding "
              + VALUE_FORMAT
              + " for them (same values).");
    }
  }

  private static void validFormat(String name, Object value) {
    if (value != null && !((String) value).isBlank()) {
      try {
        ValueFormat.parse((String) value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }
  }

  private Function<String, String> bearerTokens;

  public TopicsConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  /**
   * Where bearer tokens for {@link #REGISTRY_BEARER_SCOPE} come from: the scope to an access token
   * (the command's Azure credential, which caches and refreshes it).
   */
  public TopicsConfig withBearerTokens(Function<String, String> tokensForScope) {
    this.bearerTokens = tokensForScope;
    return this;
  }

  /** The Authorization header's value for registry calls, or null for none. */
  private Supplier<String> registryAuthorization() {
    var userInfo = getPassword(REGISTRY_USER_INFO);
    String scope = getString(REGISTRY_BEARER_SCOPE).trim();
    if (userInfo != null && !scope.isEmpty()) {
      throw new ConfigException(
          "Both "
              + REGISTRY_USER_INFO
              + " and "
              + REGISTRY_BEARER_SCOPE
              + " are set: the registry takes one kind of authentication, unset one");
    }
    if (userInfo != null) {
      return RegistryClient.basic(userInfo.value());
    }
    if (scope.isEmpty()) {
      return null;
    }
    if (bearerTokens == null) {
      throw new ConfigException(
          REGISTRY_BEARER_SCOPE
              + " is set and this command has no Azure identity to get the token from");
    }
    Function<String, String> tokens = bearerTokens;
    return () -> "Bearer " + tokens.apply(scope);
  }

  /** The topic catalogue in the configured formats, with the registry client when one is set. */
  public Topics topics() {
    return new Topics(getString(TOPICS_PREFIX), formats());
  }

  /**
   * The format of each class of topics: its own key, else {@code topics.value-format}, else
   * avro-registry when a registry is configured, else avro.
   *
   * @throws ConfigException when avro-registry is asked for without a registry
   */
  public Formats formats() {
    String url = getString(REGISTRY_URL).trim();
    RegistryClient registry = null;
    if (!url.isEmpty()) {
      try {
        registry = new RegistryClient(url, registryAuthorization(), Duration.ofSeconds(30));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(REGISTRY_URL, url, e.getMessage());
      }
    }
    String general = getString(VALUE_FORMAT).trim();
    ValueFormat fallback =
        !general.isEmpty()
            ? ValueFormat.parse(general)
            : registry != null ? ValueFormat.AVRO_REGISTRY : ValueFormat.AVRO;
    Map<TopicClass, ValueFormat> formats = new EnumMap<>(TopicClass.class);
    for (TopicClass c : TopicClass.values()) {
      String own = getString(VALUE_FORMAT + "." + c.configName()).trim();
      formats.put(c, own.isEmpty() ? fallback : ValueFormat.parse(own));
    }
    if (registry == null && formats.containsValue(ValueFormat.AVRO_REGISTRY)) {
      throw new ConfigException(
          "topics.value-format asks for avro-registry and "
              + REGISTRY_URL
              + " is not set: set it (env DIRPIPE_SCHEMA_REGISTRY_URL; dirpipe kafka and dirpipe"
              + " sandbox --kafka print one) or choose json or avro");
    }
    return new Formats(formats, registry);
  }

  /** The {@code kafka.*} values with the prefix removed: Kafka client properties. */
  public Map<String, Object> kafkaProperties() {
    return originalsWithPrefix(KAFKA_PREFIX);
  }

  /** Kafka clients with these properties, waiting at most {@link #BROKER_TIMEOUT}. */
  public KafkaClients clients() {
    return KafkaClients.of(kafkaProperties(), ConfigDurations.get(this, BROKER_TIMEOUT));
  }
}
