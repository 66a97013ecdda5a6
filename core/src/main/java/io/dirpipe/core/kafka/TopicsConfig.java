package io.dirpipe.core.kafka;

import io.dirpipe.schemas.Topics;
import java.time.Duration;
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
                  + " broker stops a stage within about this long, naming the bootstrap servers.");

  public TopicsConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public Topics topics() {
    return new Topics(getString(TOPICS_PREFIX));
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
