package io.dirpipe.core.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link KafkaClients} for unit tests: every producer is a {@link MockProducer} over the given
 * cluster metadata (so {@code partitionsFor} answers), every consumer comes from the test, and the
 * settings each client asked for are kept so a test can check them. No admin client: code that
 * needs one belongs in an integration test.
 */
public final class MockKafkaClients implements KafkaClients {
  private final Cluster cluster;
  private final Function<ClientSettings, Consumer<?, ?>> consumers;
  private final List<MockProducer<?, ?>> producers = new ArrayList<>();
  private final List<ClientSettings> settings = new ArrayList<>();

  public MockKafkaClients(Cluster cluster, Function<ClientSettings, Consumer<?, ?>> consumers) {
    this.cluster = cluster;
    this.consumers = consumers;
  }

  /** Producers only, over this cluster; asking for a consumer fails the test. */
  public MockKafkaClients(Cluster cluster) {
    this(
        cluster,
        s -> {
          throw new AssertionError("no consumer expected, asked for " + s.clientId());
        });
  }

  /** Any consumer asked for is this one. */
  public static MockKafkaClients consumer(MockConsumer<byte[], byte[]> consumer) {
    return new MockKafkaClients(Cluster.empty(), s -> consumer);
  }

  @Override
  public Map<String, Object> properties() {
    return Map.of("bootstrap.servers", "mock:9092");
  }

  @Override
  public synchronized <K, V> Producer<K, V> producer(
      ClientSettings s, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    settings.add(s);
    MockProducer<K, V> p = new MockProducer<>(cluster, true, null, keySerializer, valueSerializer);
    producers.add(p);
    return p;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <K, V> Consumer<K, V> consumer(
      ClientSettings s, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    settings.add(s);
    return (Consumer<K, V>) consumers.apply(s);
  }

  @Override
  public Admin admin(String clientId) {
    throw new AssertionError("unit tests have no admin client (asked by " + clientId + ")");
  }

  /** The producers handed out, oldest first. */
  public synchronized List<MockProducer<?, ?>> producers() {
    return List.copyOf(producers);
  }

  /** The settings of every client handed out, oldest first. */
  public synchronized List<ClientSettings> settings() {
    return List.copyOf(settings);
  }
}
