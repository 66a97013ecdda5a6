package io.dirpipe.core.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one way dirpipe gets a Kafka producer, consumer or admin client. The configured {@code
 * kafka.*} properties (bootstrap servers, security, SASL) apply to every client; each client adds
 * its own {@link ClientSettings} (its client id, the defaults it prefers, the settings its
 * guarantees need). Components take a {@code KafkaClients} rather than building clients, so unit
 * tests hand them {@code MockProducer}s and {@code MockConsumer}s.
 */
public interface KafkaClients {
  /**
   * The configured {@code kafka.*} properties, as given (for Kafka Streams, which builds its own).
   */
  Map<String, Object> properties();

  <K, V> Producer<K, V> producer(
      ClientSettings settings, Serializer<K> keySerializer, Serializer<V> valueSerializer);

  <K, V> Consumer<K, V> consumer(
      ClientSettings settings, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer);

  Admin admin(String clientId);

  /**
   * The longest any call to the brokers waits before it fails ({@code broker.timeout}): producers'
   * {@code max.block.ms} and {@code delivery.timeout.ms}, consumers' and admin clients' {@code
   * default.api.timeout.ms} default to it, so a dead or frozen broker ends a stage within about
   * this long.
   */
  default Duration timeout() {
    return DEFAULT_TIMEOUT;
  }

  /** The default of {@link #timeout()}. */
  Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /** Real clients for these {@code kafka.*} properties, with the default timeout. */
  static KafkaClients of(Map<String, Object> kafka) {
    return new KafkaClientFactory(kafka, DEFAULT_TIMEOUT, true);
  }

  /** Real clients for these {@code kafka.*} properties whose calls wait at most {@code timeout}. */
  static KafkaClients of(Map<String, Object> kafka, Duration timeout) {
    return new KafkaClientFactory(kafka, timeout, true);
  }

  /**
   * ... on brokers with ({@code transactions}) or without Kafka transactions ({@code
   * delivery.guarantee=at-least-once}).
   */
  static KafkaClients of(Map<String, Object> kafka, Duration timeout, boolean transactions) {
    return new KafkaClientFactory(kafka, timeout, transactions);
  }

  /**
   * Whether the brokers have Kafka transactions, so writes are exactly once ({@code
   * delivery.guarantee=exactly-once}, the default); false on brokers without them (Azure Event Hubs
   * below Premium): idempotent writes, at least once, duplicates named by {@code verify}.
   */
  default boolean transactions() {
    return true;
  }
}
