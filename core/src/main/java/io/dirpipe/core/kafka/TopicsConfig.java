package io.dirpipe.core.kafka;

import io.dirpipe.schemas.Topics;
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
              "Prefix of every topic name, e.g. 'dirpipe.' or 'prod.dirpipe.'.");

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

  /** Kafka clients with these properties. */
  public KafkaClients clients() {
    return KafkaClients.of(kafkaProperties());
  }
}
