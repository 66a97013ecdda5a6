package io.dirpipe.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicReaderTest {
  static final Topic<String, String> TOPIC =
      new Topic<>("t", Serdes.String(), Serdes.String(), io.dirpipe.schemas.TopicKind.RAW);
  static final TopicPartition P0 = new TopicPartition("t", 0);

  /**
   * Right after a producer's commitTransaction() returns, the broker may not have written the
   * commit marker yet: a read_committed consumer's end offset (the last stable offset) is still
   * before the transaction. The reader reads to the log's end and so waits it out.
   */
  @Test
  void readsTheTransactionWhoseMarkerIsNotWrittenYet() {
    MockConsumer<String, String> committed = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    MockConsumer<byte[], byte[]> uncommitted = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    Node node = new Node(0, "mock", 9092);
    committed.updatePartitions(
        "t", List.of(new PartitionInfo("t", 0, node, new Node[] {node}, new Node[] {node})));
    committed.updateBeginningOffsets(Map.of(P0, 0L));
    // the last stable offset: records 0-6 committed, 7-9 in a transaction whose marker is pending
    committed.updateEndOffsets(Map.of(P0, 7L));
    uncommitted.updateEndOffsets(Map.of(P0, 10L));
    committed.schedulePollTask(
        () -> {
          for (int i = 0; i < 7; i++) {
            committed.addRecord(new ConsumerRecord<>("t", 0, i, "k" + i, "v" + i));
          }
        });
    committed.schedulePollTask(() -> {}); // nothing more yet: the marker is still to come
    committed.schedulePollTask(
        () -> {
          for (int i = 7; i < 10; i++) {
            committed.addRecord(new ConsumerRecord<>("t", 0, i, "k" + i, "v" + i));
          }
        });
    KafkaClients kafka =
        new MockKafkaClients(
            Cluster.empty(), s -> s.clientId().equals("reader-ends") ? uncommitted : committed);

    List<String> read = new ArrayList<>();
    TopicReader.readAll(kafka, TOPIC, r -> read.add(r.value()));

    assertThat(read).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    assertThat(uncommitted.closed()).as("the end offsets' consumer is closed").isTrue();
  }
}
