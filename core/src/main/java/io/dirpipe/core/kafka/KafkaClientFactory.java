package io.dirpipe.core.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Real Kafka clients: the only place in dirpipe's roles that constructs one. Every client's waits
 * default to the {@link #timeout()} (the {@code kafka.*} configuration may still set each one).
 */
final class KafkaClientFactory implements KafkaClients {
  private final Map<String, Object> kafka;
  private final Duration timeout;
  private final boolean transactions;

  KafkaClientFactory(Map<String, Object> kafka, Duration timeout, boolean transactions) {
    this.kafka = Map.copyOf(kafka);
    this.timeout = timeout;
    this.transactions = transactions;
  }

  @Override
  public boolean transactions() {
    return transactions;
  }

  @Override
  public Map<String, Object> properties() {
    return kafka;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public <K, V> Producer<K, V> producer(
      ClientSettings settings, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    ClientSettings bounded =
        settings
            .withDefault(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis())
            .withDefault(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis())
            .withDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestMillis())
            .withDefault(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(millis(), 60_000));
    return new KafkaProducer<>(bounded.over(kafka), keySerializer, valueSerializer);
  }

  @Override
  public <K, V> Consumer<K, V> consumer(
      ClientSettings settings, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    ClientSettings bounded =
        settings
            .withDefault(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis())
            .withDefault(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestMillis());
    return new KafkaConsumer<>(bounded.over(kafka), keyDeserializer, valueDeserializer);
  }

  @Override
  public Admin admin(String clientId) {
    return Admin.create(
        ClientSettings.of(clientId)
            .withDefault(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis())
            .withDefault(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestMillis())
            .over(kafka));
  }

  private int millis() {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  /** One request's wait: a fraction of the whole, so a call can retry within it. */
  private int requestMillis() {
    return (int) Math.min(30_000, Math.max(1_000, timeout.toMillis() / 2));
  }
}
