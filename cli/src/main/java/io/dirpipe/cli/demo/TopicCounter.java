package io.dirpipe.cli.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** How many records the demo's topics hold (end offsets, transaction markers included): a pulse. */
final class TopicCounter implements AutoCloseable {
  private final Admin admin;
  private final String prefix;

  TopicCounter(String bootstrapServers, String prefix) {
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    this.prefix = prefix;
  }

  long records() throws InterruptedException {
    try {
      Set<String> topics =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(prefix))
              .collect(Collectors.toSet());
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
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(o -> o.offset())
          .sum();
    } catch (ExecutionException e) {
      return 0; // a topic being created: the next second counts it
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
