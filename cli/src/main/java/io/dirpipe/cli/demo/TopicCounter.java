package io.dirpipe.cli.demo;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicOffsets;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;

/** How many records the demo's topics hold (end offsets, transaction markers included): a pulse. */
final class TopicCounter implements AutoCloseable {
  private final Admin admin;
  private final String prefix;

  TopicCounter(KafkaClients kafka, String prefix) {
    this.admin = kafka.admin("demo-counter");
    this.prefix = prefix;
  }

  long records() throws InterruptedException {
    try {
      Set<String> topics =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(prefix))
              .collect(Collectors.toSet());
      return TopicOffsets.end(admin, topics, IsolationLevel.READ_UNCOMMITTED).values().stream()
          .mapToLong(Long::longValue)
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
