package io.dirpipe.core.kafka;

import io.dirpipe.schemas.Topic;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic, from the beginning to the end offsets taken at start, with {@code
 * read_committed}: the view of the topic every stage and auditor relies on. No group offsets are
 * committed.
 *
 * <p>The end is the log's end (the high watermark), not a {@code read_committed} consumer's own end
 * offsets: those are the last stable offset, which stays before a transaction until its commit
 * marker is written, and the broker writes the markers <em>after</em> the producer's {@code
 * commitTransaction()} has returned. Stopping there would miss a run's last transaction when it is
 * read right after the run; reading to the high watermark waits that transaction out, and reads
 * only what it committed.
 */
public final class TopicReader {
  private TopicReader() {}

  /** Passes every committed record of the topic, partition by partition in offset order. */
  public static <K, V> void readAll(
      KafkaClients kafka, Topic<K, V> topic, Consumer<ConsumerRecord<K, V>> each) {
    readUntil(kafka, topic, (consumer, partitions) -> logEnds(kafka, partitions), each);
  }

  /**
   * The high watermark of each partition: where the log ends, committed or not (a reader that stops
   * there waits out open transactions, see the class comment).
   */
  public static Map<TopicPartition, Long> logEnds(
      KafkaClients kafka, List<TopicPartition> partitions) {
    ClientSettings settings =
        ClientSettings.of("reader-ends")
            .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")
            .require(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> ends =
        kafka.consumer(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      ends.assign(partitions); // an unassigned consumer warns that it cannot keep what it learns
      return ends.endOffsets(partitions, kafka.timeout());
    }
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
      // a transaction still open before the end holds the reader back until it ends; one left
      // open by a producer that died is aborted by the broker after the transaction timeout (our
      // producers': broker.timeout, at least a minute)
      Duration stallLimit =
          kafka.timeout().plus(Collections.max(List.of(kafka.timeout(), Duration.ofMinutes(1))));
      Map<TopicPartition, Long> lastPosition = new HashMap<>();
      long lastProgress = System.nanoTime();
      while (true) {
        Map<TopicPartition, Long> position = new HashMap<>();
        partitions.forEach(p -> position.put(p, consumer.position(p)));
        List<TopicPartition> done =
            partitions.stream().filter(p -> position.get(p) >= end.get(p)).toList();
        if (done.size() == partitions.size()) {
          break;
        }
        if (!position.equals(lastPosition)) {
          lastPosition = position;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > stallLimit.toNanos()) {
          TopicPartition p =
              partitions.stream().filter(q -> !done.contains(q)).findFirst().orElseThrow();
          throw new IllegalStateException(
              "Reading "
                  + topic.name()
                  + ": partition "
                  + p.partition()
                  + " has stayed at offset "
                  + position.get(p)
                  + " below its end "
                  + end.get(p)
                  + " for "
                  + stallLimit.toSeconds()
                  + " s: a transaction there is still open. Find its producer with"
                  + " kafka-transactions.sh list, or try again once it has ended.");
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
