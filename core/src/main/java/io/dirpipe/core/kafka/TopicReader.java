package io.dirpipe.core.kafka;

import io.dirpipe.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic, from the beginning to the end offsets taken at start, with {@code
 * read_committed}: the view of the topic every stage and auditor relies on. No group offsets are
 * committed.
 */
public final class TopicReader {
  private TopicReader() {}

  /** Passes every committed record of the topic, partition by partition in offset order. */
  public static <K, V> void readAll(
      KafkaClients kafka, Topic<K, V> topic, Consumer<ConsumerRecord<K, V>> each) {
    readUntil(kafka, topic, (consumer, partitions) -> consumer.endOffsets(partitions), each);
  }

  /**
   * Passes every committed record before the offset {@code stops} gives for its partition (called
   * once, with the topic's partitions, before reading).
   */
  public static <K, V> void readUntil(
      KafkaClients kafka,
      Topic<K, V> topic,
      BiFunction<
              org.apache.kafka.clients.consumer.Consumer<K, V>,
              List<TopicPartition>,
              Map<TopicPartition, Long>>
          stops,
      Consumer<ConsumerRecord<K, V>> each) {
    ClientSettings settings =
        ClientSettings.of("reader")
            .require(ConsumerConfig.GROUP_ID_CONFIG, "dirpipe-reader-" + UUID.randomUUID())
            .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .require(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
            // the reader knows where it stops: a fetch that finds nothing new has nothing to
            // wait for (the default would hold each such fetch 500 ms at the broker)
            .withDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    try (org.apache.kafka.clients.consumer.Consumer<K, V> consumer =
        kafka.consumer(
            settings, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), kafka.timeout()).stream()
              .map(p -> new TopicPartition(topic.name(), p.partition()))
              .toList();
      Map<TopicPartition, Long> end = stops.apply(consumer, partitions);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (true) {
        List<TopicPartition> done =
            partitions.stream().filter(p -> consumer.position(p) >= end.get(p)).toList();
        if (done.size() == partitions.size()) {
          break;
        }
        consumer.pause(done); // fetch only what is still to read
        for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            each.accept(r);
          }
        }
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw BrokerUnavailable.of(kafka, "Reading " + topic.name(), e);
    }
  }
}
