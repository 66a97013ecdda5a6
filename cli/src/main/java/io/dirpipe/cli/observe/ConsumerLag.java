package io.dirpipe.cli.observe;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicOffsets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dirpipe_consumer_lag_records{group,topic}}: how many committed records of each input topic
 * the role's consumer group has not yet committed as processed (last stable offset minus committed
 * offset, summed over partitions). Read from the brokers at most every {@link #EVERY}, when
 * scraped, so it is the group's lag whichever instance answers.
 */
public final class ConsumerLag implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);
  static final Duration EVERY = Duration.ofSeconds(5);
  private static final long WAIT_SECONDS = 5;

  private final Admin admin;
  private final String group;
  private final List<String> topics;
  private final Time time;
  private Map<String, Long> lag = Map.of();
  private long readAt = Long.MIN_VALUE;

  public ConsumerLag(
      MeterRegistry registry, KafkaClients kafka, String group, List<String> topics, Time time) {
    this.admin = kafka.admin("consumer-lag");
    this.group = group;
    this.topics = List.copyOf(topics);
    this.time = time;
    for (String topic : this.topics) {
      Gauge.builder("dirpipe.consumer.lag.records", this, l -> l.of(topic))
          .description(
              "Records of the topic the role's consumer group has not processed yet (its last"
                  + " stable offset minus the group's committed offset); NaN when the brokers do"
                  + " not answer.")
          .tags("group", group, "topic", topic)
          .register(registry);
    }
  }

  private synchronized double of(String topic) {
    long now = time.nanoTime();
    if (readAt == Long.MIN_VALUE || now - readAt >= EVERY.toNanos()) {
      lag = read();
      readAt = now;
    }
    Long n = lag.get(topic);
    return n == null ? Double.NaN : n;
  }

  private Map<String, Long> read() {
    try {
      Map<TopicPartition, Long> ends =
          TopicOffsets.end(admin, topics, IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(WAIT_SECONDS, TimeUnit.SECONDS);
      Map<String, Long> sums = new HashMap<>();
      ends.forEach(
          (tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            long behind = Math.max(0, end - (c == null ? 0 : c.offset()));
            sums.merge(tp.topic(), behind, Long::sum);
          });
      return sums;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (Exception e) {
      log.debug("Consumer lag of {} not read: {}", group, e.toString());
      return Map.of();
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
