package io.dirpipe.core.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Real Kafka clients: the only place in dirpipe's roles that constructs one. */
final class KafkaClientFactory implements KafkaClients {
  private final Map<String, Object> kafka;

  KafkaClientFactory(Map<String, Object> kafka) {
    this.kafka = Map.copyOf(kafka);
  }

  @Override
  public Map<String, Object> properties() {
    return kafka;
  }

  @Override
  public <K, V> Producer<K, V> producer(
      ClientSettings settings, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    return new KafkaProducer<>(settings.over(kafka), keySerializer, valueSerializer);
  }

  @Override
  public <K, V> Consumer<K, V> consumer(
      ClientSettings settings, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    return new KafkaConsumer<>(settings.over(kafka), keyDeserializer, valueDeserializer);
  }

  @Override
  public Admin admin(String clientId) {
    return Admin.create(ClientSettings.of(clientId).over(kafka));
  }
}
