package io.dirpipe.core.kafka;

import io.dirpipe.core.ConfigDurations;
import io.dirpipe.core.Durations;
import io.dirpipe.schemas.TopicKind;
import io.dirpipe.schemas.TopicLayout;
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
  public static final String PARTITIONS = "topics.partitions";
  public static final String RETENTION = "topics.retention";
  public static final String GUARANTEE = "delivery.guarantee";

  /** What a retention of {@code forever} is sent as: {@code retention.ms=-1}. */
  public static final String FOREVER = "forever";

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
                  + " broker stops a stage within about this long, naming the bootstrap servers."
                  + ConfigDurations.DOC)
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
    DEF.define(
        GUARANTEE,
        Type.STRING,
        "exactly-once",
        ConfigDef.ValidString.in("exactly-once", "at-least-once"),
        Importance.MEDIUM,
        "exactly-once: Kafka transactions (every observation, change event and checkpoint once);"
            + " at-least-once: for brokers without transactions (Azure Event Hubs Standard):"
            + " idempotent writes, each page's records acknowledged before its checkpoint, so a"
            + " killed extractor may write a page's records again and dirpipe verify names them.");
    DEF.define(
        PARTITIONS,
        Type.INT,
        TopicLayout.DEFAULT_PARTITIONS,
        ConfigDef.Range.between(1, 10_000),
        Importance.MEDIUM,
        "Partitions of each topic dirpipe creates (an existing topic keeps its own). A partition is"
            + " read by one consumer of a group: this many extraction workers, transformer"
            + " instances or sink instances share the load.");
    for (TopicKind k : TopicKind.values()) {
      if (k == TopicKind.INTERNAL) {
        continue;
      }
      DEF.define(
          PARTITIONS + "." + k.configName(),
          Type.INT,
          null,
          (name, value) -> {
            if (value != null) {
              ConfigDef.Range.between(1, 10_000).ensureValid(name, value);
            }
          },
          Importance.LOW,
          "Partitions of the " + k.configName() + " topics, overriding " + PARTITIONS + ".");
      DEF.define(
          RETENTION + "." + k.configName(),
          Type.STRING,
          "",
          TopicsConfig::validRetention,
          Importance.LOW,
          "retention.ms of the "
              + k.configName()
              + " topics dirpipe creates: a duration (P7D), forever, or empty for the broker's"
              + " default (Kafka's log.retention.hours; an Event Hubs namespace's retention).");
    }
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

  private static void validRetention(String name, Object value) {
    String v = value == null ? "" : ((String) value).trim();
    if (!v.isEmpty() && !v.equalsIgnoreCase(FOREVER)) {
      try {
        Durations.parseConfig(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            name, value, "use a duration (" + Durations.EXPECTED + "), forever, or empty");
      }
    }
  }

  /**
   * Partitions and retention per kind of topic, from {@link #PARTITIONS} and {@link #RETENTION}.
   */
  public TopicLayout layout() {
    Map<TopicKind, Integer> partitions = new EnumMap<>(TopicKind.class);
    Map<TopicKind, Duration> retention = new EnumMap<>(TopicKind.class);
    for (TopicKind k : TopicKind.values()) {
      if (k == TopicKind.INTERNAL) {
        continue;
      }
      Integer own = getInt(PARTITIONS + "." + k.configName());
      partitions.put(k, own != null ? own : getInt(PARTITIONS));
      String r = getString(RETENTION + "." + k.configName()).trim();
      if (r.equalsIgnoreCase(FOREVER)) {
        retention.put(k, Duration.ofMillis(-1));
      } else if (!r.isEmpty()) {
        retention.put(k, Durations.parseConfig(r));
      }
    }
    return new TopicLayout(partitions, retention);
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
    return new Topics(getString(TOPICS_PREFIX), formats(), layout());
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
    return KafkaClients.of(
        kafkaProperties(),
        ConfigDurations.get(this, BROKER_TIMEOUT),
        getString(GUARANTEE).equals("exactly-once"));
  }
}
