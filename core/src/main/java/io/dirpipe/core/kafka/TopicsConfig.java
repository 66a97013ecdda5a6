package io.dirpipe.core.kafka;

import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.wire.Formats;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import io.dirpipe.schemas.wire.RegistryClient;
import io.dirpipe.schemas.wire.ValueFormat;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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
              Type.LONG,
              KafkaClients.DEFAULT_TIMEOUT.toMillis(),
              ConfigDef.Range.atLeast(1_000),
              Importance.MEDIUM,
              "The longest any call to the brokers waits (milliseconds): a dead, frozen or unreachable"
                  + " broker stops a stage within about this long, naming the bootstrap servers.")
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
                  + " basic.auth.user.info). A secret: from the environment only.");

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

  public TopicsConfig(Map<String, ?> values) {
    super(DEF, values, false);
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
      var userInfo = getPassword(REGISTRY_USER_INFO);
      try {
        registry =
            new RegistryClient(
                url,
                userInfo == null ? null : RegistryClient.basic(userInfo.value()),
                Duration.ofSeconds(30));
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
    return KafkaClients.of(kafkaProperties(), Duration.ofMillis(getLong(BROKER_TIMEOUT)));
  }
}
