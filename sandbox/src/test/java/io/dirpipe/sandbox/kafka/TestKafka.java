package io.dirpipe.sandbox.kafka;

import io.dirpipe.core.kafka.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The broker an integration test runs against, injected by {@link KafkaExtension}.
 *
 * @param bootstrapServers the {@code bootstrap.servers} value
 * @param kind {@code testcontainers} or {@code in-process}
 */
public record TestKafka(String bootstrapServers, String kind) {

  /** dirpipe's client factory for this broker. */
  public KafkaClients clients() {
    return KafkaClients.of(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Creates a topic with a unique name (tests never share topics) and returns the name. */
  public String newTopic(String stem, int partitions) {
    String name = stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = admin()) {
      admin.createTopics(java.util.List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topic " + name, e);
    }
    return name;
  }

  public Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return config;
  }

  public Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return config;
  }
}
