package io.dirpipe.sandbox.kafka;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicOffsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

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

  /**
   * The sum of a topic's last stable offsets, 0 before it exists: it moves when a transaction
   * writing to the topic commits (its records and commit markers), never before.
   */
  public long committedEnd(String topic) throws Exception {
    try (Admin admin = admin()) {
      if (!admin.listTopics().names().get().contains(topic)) {
        return 0;
      }
      return TopicOffsets.end(admin, java.util.List.of(topic), IsolationLevel.READ_COMMITTED)
          .values()
          .stream()
          .mapToLong(Long::longValue)
          .sum();
    }
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
