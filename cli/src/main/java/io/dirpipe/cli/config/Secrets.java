package io.dirpipe.cli.config;

import io.dirpipe.core.kafka.TopicsConfig;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which values are secrets: dirpipe's keys of type PASSWORD, Kafka client properties of type
 * PASSWORD ({@code sasl.jaas.config}, {@code ssl.key.password}, ...), and a storage connection
 * string that carries an account key or a SAS. Secrets come from the environment or a file
 * reference, never from the configuration file, and print as hidden.
 */
public final class Secrets {
  /**
   * A storage connection string with a credential in it (an Azurite-style endpoint-only one is
   * not).
   */
  private static final Pattern CREDENTIAL_IN_CONNECTION =
      Pattern.compile("(?i)(^|;)\\s*(AccountKey|SharedAccessSignature|SharedAccessKey)\\s*=");

  private Secrets() {}

  /** True when {@code key} set to {@code value} is a secret. */
  public static boolean isSecret(ConfigDef known, String key, String value) {
    if (key.startsWith(TopicsConfig.KAFKA_PREFIX)) {
      return isKafkaSecret(key.substring(TopicsConfig.KAFKA_PREFIX.length()));
    }
    ConfigDef.ConfigKey declared = known.configKeys().get(key);
    if (declared == null || declared.type != ConfigDef.Type.PASSWORD) {
      return false;
    }
    return !key.endsWith("connection-string")
        || value == null
        || CREDENTIAL_IN_CONNECTION.matcher(value).find();
  }

  /** Kafka client properties of type PASSWORD (sasl.jaas.config, ssl.key.password, ...). */
  public static boolean isKafkaSecret(String property) {
    for (ConfigDef def :
        new ConfigDef[] {
          ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef()
        }) {
      ConfigDef.ConfigKey key = def.configKeys().get(property);
      if (key != null && key.type == ConfigDef.Type.PASSWORD) {
        return true;
      }
    }
    return false;
  }
}
