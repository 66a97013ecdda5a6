package io.dirpipe.extractor;

import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic with read_committed, as consumers of the raw topics do. */
public final class RawTopic {
  private RawTopic() {}

  public static <K, V> List<ConsumerRecord<K, V>> readAll(TestKafka kafka, Topic<K, V> topic) {
    Map<String, Object> config = kafka.consumerConfig("reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(
            config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic.name(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
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
