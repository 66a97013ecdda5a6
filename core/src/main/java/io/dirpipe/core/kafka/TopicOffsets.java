package io.dirpipe.core.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Where topics end, partition by partition. */
public final class TopicOffsets {
  private TopicOffsets() {}

  /**
   * The end offset of every partition of the topics: the last stable offset (before any open
   * transaction) with {@code READ_COMMITTED}, the log end with {@code READ_UNCOMMITTED}.
   */
  public static Map<TopicPartition, Long> end(
      Admin admin, Collection<String> topics, IsolationLevel isolation)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin
        .describeTopics(topics)
        .allTopicNames()
        .get()
        .forEach(
            (name, d) ->
                d.partitions()
                    .forEach(
                        p ->
                            latest.put(
                                new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> end = new HashMap<>();
    admin
        .listOffsets(latest, new ListOffsetsOptions(isolation))
        .all()
        .get()
        .forEach((tp, info) -> end.put(tp, info.offset()));
    return end;
  }
}
