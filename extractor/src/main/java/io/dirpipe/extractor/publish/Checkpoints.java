package io.dirpipe.extractor.publish;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.CheckpointKey;
import io.dirpipe.schemas.Topic;
import java.util.HashMap;
import java.util.Map;

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
}
