package io.dirpipe.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes of its keys and values: the only way stages name a topic.
 *
 * @param name the full topic name, prefix included
 * @param keySerde serde of the keys
 * @param valueSerde serde of the values (null values are tombstones)
 * @param compacted whether the topic is meant to be created with {@code cleanup.policy=compact}
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
  }

  @Override
  public String toString() {
    return name;
  }
}
