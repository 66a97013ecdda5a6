package io.dirpipe.core.kafka;

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

  /** Real clients for these {@code kafka.*} properties. */
  static KafkaClients of(Map<String, Object> kafka) {
    return new KafkaClientFactory(kafka);
  }
}
