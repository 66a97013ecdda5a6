package io.dirpipe.extractor;

import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a whole topic with read_committed, as consumers of the raw topics do. */
public final class RawTopic {
  private RawTopic() {}

  public static <K, V> List<ConsumerRecord<K, V>> readAll(TestKafka kafka, Topic<K, V> topic) {
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    TopicReader.readAll(kafka.clients(), topic, out::add);
    return out;
  }

  /** The observations of one run, markers excluded. */
  public static List<Observation> run(
      List<ConsumerRecord<ObjectKey, Observation>> records, String runId) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(
            o ->
                o.getRunId().equals(runId)
                    && o.getKind() != io.dirpipe.schemas.ObservationKind.RUN_END)
        .toList();
  }

  public static RunEvent completed(List<ConsumerRecord<String, RunEvent>> runs, String runId) {
    return runs.stream()
        .map(ConsumerRecord::value)
        .filter(
            e ->
                e.getRunId().equals(runId)
                    && e.getType() == io.dirpipe.schemas.RunEventType.COMPLETED)
        .findFirst()
        .orElse(null);
  }
}
