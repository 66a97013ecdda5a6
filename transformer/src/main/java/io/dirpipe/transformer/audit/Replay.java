package io.dirpipe.transformer.audit;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The inventory of a collection as it was at a point in time, rebuilt from its change topic: every
 * committed change event with a timestamp up to that time, applied in offset order per key (a key's
 * events share a partition). Event timestamps are those of the observations that caused them, so
 * the answer does not depend on when the transformer ran.
 */
public final class Replay {
  private static final Comparator<ObjectKey> BY_KEY =
      Comparator.comparing(ObjectKey::getTenantId).thenComparing(ObjectKey::getObjectId);

  private Replay() {}

  /** The objects that existed at {@code at}, by key (tenant, then object id). */
  public static <E extends SpecificRecord> NavigableMap<ObjectKey, E> at(
      KafkaClients kafka, Topics topics, Collection<E> collection, Instant at) {
    Topic<ObjectKey, Change> topic = topics.changes(collection);
    NavigableMap<ObjectKey, E> inventory = new TreeMap<>(BY_KEY);
    TopicReader.readUntil(
        kafka,
        topic,
        (consumer, partitions) -> stopOffsets(consumer, partitions, at),
        r -> {
          if (r.timestamp() <= at.toEpochMilli()) {
            apply(inventory, collection, r.key(), r.value());
          }
        });
    return inventory;
  }

  /** Per partition: the first offset after {@code at} (the committed end when nothing is). */
  private static Map<TopicPartition, Long> stopOffsets(
      Consumer<?, ?> consumer, List<TopicPartition> partitions, Instant at) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, at.toEpochMilli() + 1));
    Map<TopicPartition, OffsetAndTimestamp> after = consumer.offsetsForTimes(query);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    Map<TopicPartition, Long> stop = new HashMap<>();
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp o = after.get(p);
      stop.put(p, o == null ? end.get(p) : Math.min(o.offset(), end.get(p)));
    }
    return stop;
  }

  private static <E extends SpecificRecord> void apply(
      Map<ObjectKey, E> inventory, Collection<E> collection, ObjectKey key, Change change) {
    if (key == null || change == null) {
      return;
    }
    switch (change.getOp()) {
      case CREATE, UPDATE -> inventory.put(key, collection.entityClass().cast(change.getAfter()));
      case DELETE -> inventory.remove(key);
    }
  }
}
