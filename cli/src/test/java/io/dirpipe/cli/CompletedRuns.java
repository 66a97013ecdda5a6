package io.dirpipe.cli;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The COMPLETED events of the runs topic, for tests that wait on runs to finish. */
final class CompletedRuns {
  private CompletedRuns() {}

  /** Every COMPLETED run event so far; none before the topic exists. */
  static List<RunEvent> of(Map<String, Object> kafka, Topics topics) {
    List<RunEvent> completed = new ArrayList<>();
    try {
      TopicReader.readAll(
          KafkaClients.of(kafka),
          topics.runs(),
          r -> {
            if (r.value().getType() == RunEventType.COMPLETED) {
              completed.add(r.value());
            }
          });
    } catch (RuntimeException notYetCreated) {
      // the extractor creates the topic on its first run
    }
    return completed;
  }
}
