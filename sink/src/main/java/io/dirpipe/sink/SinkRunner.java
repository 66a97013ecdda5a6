package io.dirpipe.sink;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop every sink shares: {@code read_committed}, no auto-commit, and an offset is
 * committed only when the sink says what it covers is durable. Records arrive as bytes, so what
 * cannot be decoded can still be dead-lettered as it was.
 */
public final class SinkRunner {
  private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** What a sink does with the records; offsets returned are those now safe to commit. */
  public interface Delivery {
    /** Takes polled records. */
    Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records)
        throws InterruptedException;

    /** Makes everything taken from these partitions durable (idle, shutdown, revocation). */
    Map<TopicPartition, OffsetAndMetadata> flush(Collection<TopicPartition> partitions)
        throws InterruptedException;

    /** Partitions newly assigned, positioned at their committed offsets; the sink may seek. */
    default void assigned(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> parts) {}

    /** Called after every poll: time-driven work. */
    default Map<TopicPartition, OffsetAndMetadata> tick() throws InterruptedException {
      return Map.of();
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Time time;
  private final List<String> topics;
  private final Delivery delivery;
  private final SinkStats stats;
  private volatile boolean stopped;
  private volatile boolean polling;

  /** Per partition: the offset after the last record poll returned, and what was committed. */
  private final Map<TopicPartition, Long> returned = new HashMap<>();

  private final Map<TopicPartition, Long> committed = new HashMap<>();

  public SinkRunner(
      KafkaClients kafka,
      String group,
      List<String> topics,
      Delivery delivery,
      SinkStats stats,
      Time time) {
    ClientSettings settings =
        ClientSettings.of(group)
            .withDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
            .withDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .require(ConsumerConfig.GROUP_ID_CONFIG, group)
            .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .require(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        kafka.consumer(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.time = time;
    this.topics = topics;
    this.delivery = delivery;
    this.stats = stats;
  }

  /**
   * Delivers until {@link #stop()}, or, when {@code idle} is set, until no record arrived for that
   * long and every assigned partition is read to its last stable offset. Everything taken is then
   * made durable and committed.
   */
  public void run(Duration idle) throws InterruptedException {
    if (!topics.isEmpty()) {
      consumer.subscribe(topics, new Rebalance());
    }
    long lastRecord = time.nanoTime();
    try {
      while (!stopped) {
        ConsumerRecords<byte[], byte[]> records;
        if (topics.isEmpty()) { // only time-driven work (e.g. inventory snapshots)
          time.sleep(POLL);
          records = ConsumerRecords.empty();
        } else {
          records = consumer.poll(POLL);
        }
        polling = true;
        if (!records.isEmpty()) {
          stats.records.add(records.count());
          for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            returned.put(tp, list.get(list.size() - 1).offset() + 1);
          }
          commit(delivery.accept(records));
          lastRecord = time.nanoTime();
        } else {
          commitPastMarkers();
        }
        commit(delivery.tick());
        if (idle != null
            && (topics.isEmpty() || !consumer.assignment().isEmpty())
            && time.nanoTime() - lastRecord >= idle.toNanos()
            && caughtUp()) {
          break;
        }
      }
    } catch (WakeupException stopping) {
      // stop() during poll
    }
    Map<TopicPartition, OffsetAndMetadata> flushed = delivery.flush(consumer.assignment());
    try {
      commit(flushed);
    } catch (WakeupException late) {
      // stop() came while no call was blocking: its wakeup fell on this commit and is spent now
      commit(flushed);
    }
  }

  /**
   * True when every partition of the inputs is read to its last stable offset: ours by position,
   * the others (still held by another member, e.g. a killed one until its session times out) by the
   * group's committed offset.
   */
  private boolean caughtUp() {
    Set<TopicPartition> all = new HashSet<>();
    for (String t : topics) {
      consumer.partitionsFor(t).forEach(p -> all.add(new TopicPartition(t, p.partition())));
    }
    Set<TopicPartition> mine = consumer.assignment();
    Set<TopicPartition> others = new HashSet<>(all);
    others.removeAll(mine);
    Map<TopicPartition, OffsetAndMetadata> committed =
        others.isEmpty() ? Map.of() : consumer.committed(others);
    for (var e : consumer.endOffsets(all).entrySet()) {
      long at;
      if (mine.contains(e.getKey())) {
        at = consumer.position(e.getKey());
      } else {
        OffsetAndMetadata c = committed.get(e.getKey());
        at = c == null ? 0 : c.offset();
      }
      if (at < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }
  }

  /**
   * Where every record poll returned from a partition is durable and committed, and the consumer's
   * position has moved past transaction markers since, commits the position: the group's lag (last
   * stable offset minus committed offset) then reads 0 when the sink is caught up, as lag monitors
   * expect, rather than one per transaction marker. Nothing is skipped: between the last record and
   * the position there are only markers (and aborted records, which read_committed never returns).
   */
  private void commitPastMarkers() {
    Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      Long last = returned.get(tp);
      Long done = committed.get(tp);
      if (last != null && last.equals(done)) {
        long position = consumer.position(tp);
        if (position > done) {
          ahead.put(tp, new OffsetAndMetadata(position));
          returned.put(tp, position);
        }
      }
    }
    commit(ahead);
  }

  /** Ends {@link #run} after the current delivery; callable from any thread. */
  /** True once the runner has subscribed and polled: it is in its group and delivering. */
  public boolean polling() {
    return polling;
  }

  public void stop() {
    stopped = true;
    consumer.wakeup();
  }

  /** Leaves the group. Call after {@link #run} returned, on its thread. */
  public void close() {
    consumer.close();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commit(delivery.flush(partitions));
        returned.keySet().removeAll(partitions);
        committed.keySet().removeAll(partitions);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.warn(
            "Interrupted while flushing {}: they resume from their committed offsets", partitions);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        log.info("Sink owns {}", partitions);
        delivery.assigned(consumer, partitions);
      }
    }
  }
}
