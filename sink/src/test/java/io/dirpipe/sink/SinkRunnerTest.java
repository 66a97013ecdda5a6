package io.dirpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.core.ManualTime;
import io.dirpipe.core.kafka.MockKafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sinks' shared consumer loop on a {@link MockConsumer} and a manual clock: offsets are
 * committed exactly as far as the delivery declared durable, and {@code --until-idle} ends only
 * after the idle time with every partition read to its end.
 */
@Timeout(30) // a loop that never ends fails here, not in CI's overall limit
class SinkRunnerTest {
  static final String TOPIC = "t.changes.users";
  final TopicPartition p0 = new TopicPartition(TOPIC, 0);
  final TopicPartition p1 = new TopicPartition(TOPIC, 1);
  final ManualTime time = new ManualTime();
  final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

  @BeforeEach
  void partitions() {
    Node n = new Node(0, "mock", 9092);
    Node[] nodes = {n};
    consumer.updatePartitions(
        TOPIC,
        List.of(
            new PartitionInfo(TOPIC, 0, n, nodes, nodes),
            new PartitionInfo(TOPIC, 1, n, nodes, nodes)));
    consumer.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
    consumer.updateEndOffsets(Map.of(p0, 3L, p1, 1L));
  }

  @Test
  void offsetsAreCommittedOnlyAsFarAsTheDeliveryDeclaredDurable() throws Exception {
    // durable only at flush (idle end): nothing is committed while records are taken
    Recording delivery = new Recording(false);
    SinkRunner runner = runner(delivery);
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(p0, p1));
          add(p0, 0);
          add(p0, 1);
          add(p1, 0);
        });
    consumer.schedulePollTask(
        () -> {
          assertThat(consumer.committed(Set.of(p0, p1))).as("committed before durable").isEmpty();
          add(p0, 2);
        });
    runner.run(Duration.ofSeconds(2));

    assertThat(delivery.taken).hasSize(4);
    assertThat(consumer.committed(Set.of(p0, p1)))
        .containsEntry(p0, new OffsetAndMetadata(3))
        .containsEntry(p1, new OffsetAndMetadata(1));
  }

  @Test
  void onceEverythingReturnedIsDurableTheCommitMovesPastTransactionMarkers() throws Exception {
    // durable at once; then the consumer's position moves past a transaction marker (offset 2)
    Recording delivery = new Recording(true);
    SinkRunner runner = runner(delivery);
    consumer.updateEndOffsets(Map.of(p0, 3L, p1, 0L));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(p0, p1));
          add(p0, 0);
          add(p0, 1);
        });
    consumer.schedulePollTask(
        () -> {
          assertThat(consumer.committed(Set.of(p0))).containsEntry(p0, new OffsetAndMetadata(2));
          consumer.seek(p0, 3); // what fetching the marker does to a real consumer's position
        });
    runner.run(Duration.ofSeconds(1));
    assertThat(consumer.committed(Set.of(p0)))
        .as("the group's lag reads 0: committed at the last stable offset, past the marker")
        .containsEntry(p0, new OffsetAndMetadata(3));
    assertThat(delivery.taken).hasSize(2);
  }

  @Test
  void untilIdleWaitsTheIdleTimeAfterTheLastRecordOnTheClock() throws Exception {
    Recording delivery = new Recording(true);
    SinkRunner runner = runner(delivery);
    consumer.updateEndOffsets(Map.of(p0, 1L, p1, 0L));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(p0, p1));
          add(p0, 0);
        });
    long start = time.nanoTime();
    runner.run(Duration.ofSeconds(5));
    // each loop moves the clock by one poll (200 ms) after the record was taken: the run ends in
    // the loop that is 5 s after it, not one poll earlier or later
    assertThat(time.since(start)).isEqualTo(Duration.ofSeconds(5));
    assertThat(consumer.committed(Set.of(p0))).containsEntry(p0, new OffsetAndMetadata(1));
  }

  @Test
  void aDeliveryThatFailsCommitsNothingOfWhatItHeld() throws Exception {
    Recording delivery =
        new Recording(false) {
          @Override
          public Map<TopicPartition, OffsetAndMetadata> flush(Collection<TopicPartition> parts) {
            throw new IllegalStateException("the store is gone");
          }
        };
    SinkRunner runner = runner(delivery);
    consumer.updateEndOffsets(Map.of(p0, 1L, p1, 0L));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(p0, p1));
          add(p0, 0);
        });
    assertThatThrownBy(() -> runner.run(Duration.ofSeconds(1))).hasMessage("the store is gone");
    assertThat(consumer.committed(Set.of(p0, p1))).isEmpty();
  }

  @Test
  void aStopOutsidePollStillCommitsWhatTheLastFlushMadeDurable() throws Exception {
    // as a real consumer does: a wakeup() while no call blocks throws from the next blocking call
    MockConsumer<byte[], byte[]> waking =
        new MockConsumer<>("earliest") {
          boolean pending;

          @Override
          public synchronized void wakeup() {
            pending = true;
          }

          @Override
          public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (pending) {
              pending = false;
              throw new org.apache.kafka.common.errors.WakeupException();
            }
            super.commitSync(offsets);
          }
        };
    Node n = new Node(0, "mock", 9092);
    waking.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, n, new Node[] {n}, new Node[] {n})));
    waking.updateBeginningOffsets(Map.of(p0, 0L));
    SinkRunner[] runner = new SinkRunner[1];
    Recording delivery =
        new Recording(false) {
          @Override
          public Map<TopicPartition, OffsetAndMetadata> accept(
              ConsumerRecords<byte[], byte[]> records) {
            runner[0].stop(); // SIGTERM while records are being delivered
            return super.accept(records);
          }
        };
    runner[0] =
        new SinkRunner(
            MockKafkaClients.consumer(waking),
            "g",
            List.of(TOPIC),
            new ClockedDelivery(delivery, time),
            new SinkStats(),
            time);
    waking.schedulePollTask(
        () -> {
          waking.rebalance(List.of(p0));
          waking.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, new byte[0], new byte[] {1}));
        });
    runner[0].run(null);
    assertThat(waking.committed(Set.of(p0))).containsEntry(p0, new OffsetAndMetadata(1));
  }

  private SinkRunner runner(Recording delivery) {
    return new SinkRunner(
        MockKafkaClients.consumer(consumer),
        "g",
        List.of(TOPIC),
        new ClockedDelivery(delivery, time),
        new SinkStats(),
        time);
  }

  private void add(TopicPartition tp, long offset) {
    consumer.addRecord(
        new ConsumerRecord<>(tp.topic(), tp.partition(), offset, new byte[0], new byte[] {1}));
  }

  /** Takes records; durable at once ({@code eager}) or only when flushed. */
  static class Recording implements SinkRunner.Delivery {
    final boolean eager;
    final List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>();
    final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    Recording(boolean eager) {
      this.eager = eager;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        taken.add(r);
        pending.put(
            new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      }
      return eager ? drain() : Map.of();
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> flush(Collection<TopicPartition> partitions) {
      return drain();
    }

    private Map<TopicPartition, OffsetAndMetadata> drain() {
      Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>(pending);
      pending.clear();
      return out;
    }
  }

  /** A MockConsumer's poll returns at once: each loop moves the clock by one poll timeout. */
  record ClockedDelivery(SinkRunner.Delivery inner, ManualTime time)
      implements SinkRunner.Delivery {
    @Override
    public Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records)
        throws InterruptedException {
      return inner.accept(records);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> flush(Collection<TopicPartition> partitions)
        throws InterruptedException {
      return inner.flush(partitions);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> tick() {
      time.advance(Duration.ofMillis(200));
      return Map.of();
    }
  }
}
