package io.dirpipe.extractor.publish;

import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.CheckpointKey;
import io.dirpipe.schemas.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The committed checkpoints, read once at start: the latest value per (tenant, collection). */
public final class Checkpoints {
  private Checkpoints() {}

  public static Map<CheckpointKey, Checkpoint> read(
      KafkaClients kafka, Topic<CheckpointKey, Checkpoint> topic) {
    Map<CheckpointKey, Checkpoint> latest = new HashMap<>();
    TopicReader.readAll(
        kafka,
        topic,
        r -> {
          if (r.value() == null) {
            latest.remove(r.key());
          } else {
            latest.put(r.key(), r.value());
          }
        });
    return latest;
  }

  /**
   * Forgets the position of one (tenant, collection): a tombstone in the compacted checkpoints
   * topic. Its next run starts afresh (FULL, or a delta query's initial round, which sweeps). Stop
   * the extractors of that tenant first: a running one would write its position again.
   */
  public static void reset(
      KafkaClients kafka, Topic<CheckpointKey, Checkpoint> topic, CheckpointKey key) {
    ClientSettings settings =
        ClientSettings.of("checkpoint-reset")
            .require(ProducerConfig.ACKS_CONFIG, "all")
            .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (Producer<CheckpointKey, Checkpoint> p =
        kafka.producer(settings, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      p.send(new ProducerRecord<>(topic.name(), key, null)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while resetting a checkpoint", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot write to " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
    }
  }
}
