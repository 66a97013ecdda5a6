package io.dirpipe.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes of its keys and values: the only way stages name a topic.
 *
 * @param name the full topic name, prefix included
 * @param keySerde serde of the keys
 * @param valueSerde serde of the values (null values are tombstones)
 * @param kind its class: partitions, retention and cleanup policy when dirpipe creates it
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicKind kind) {
  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
  }

  /** Whether the topic is meant to be created with {@code cleanup.policy=compact}. */
  public boolean compacted() {
    return kind.compacted();
  }

  /**
   * Registers the key and value schemas when the topic is written in the registry format, checking
   * them against the subjects' versions first; nothing for other formats. Roles call it at start
   * (through the topic setup) so that an incompatible schema stops them before any write.
   *
   * @throws io.dirpipe.schemas.wire.TopicSerde.IncompatibleSchemaException naming the subject and
   *     the field
   */
  public void registerSchemas() {
    if (keySerde instanceof io.dirpipe.schemas.wire.TopicSerde<?> k) {
      k.register();
    }
    if (valueSerde instanceof io.dirpipe.schemas.wire.TopicSerde<?> v) {
      v.register();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
