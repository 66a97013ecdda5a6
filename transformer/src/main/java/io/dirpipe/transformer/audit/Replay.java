package io.dirpipe.transformer.audit;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.EdgeKey;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The inventory of a collection (or the edges) as it was at a point in time, rebuilt from its
 * change topic ({@code changes.<collection>}, {@code changes.edges}): every committed change event
 * with a timestamp up to that time, applied in offset order per key (a key's events share a
 * partition). The whole topic is read: a partition's timestamps need not grow with its offsets (a
 * transformer that catches up on several runs at once writes them out of time order across keys),
 * so no offset marks where the events after T begin. Event timestamps are those of the observations
 * that caused them, so the answer does not depend on when the transformer ran.
 */
public final class Replay {
  private static final Comparator<ObjectKey> BY_KEY =
      Comparator.comparing(ObjectKey::getTenantId).thenComparing(ObjectKey::getObjectId);

  private Replay() {}

  private static final Comparator<EdgeKey> EDGE_ORDER =
      Comparator.comparing(EdgeKey::getTenantId)
          .thenComparing(EdgeKey::getKind)
          .thenComparing(EdgeKey::getFromId)
          .thenComparing(EdgeKey::getToId)
          .thenComparing(EdgeKey::getQualifier);

  /** The objects that existed at {@code at}, by key (tenant, then object id). */
  public static <E extends SpecificRecord> NavigableMap<ObjectKey, E> at(
      KafkaClients kafka, Topics topics, Collection<E> collection, Instant at) {
    NavigableMap<ObjectKey, E> inventory = new TreeMap<>(BY_KEY);
    readUntil(
        kafka,
        topics.changes(collection),
        at,
        (key, change) -> apply(inventory, collection, key, change));
    return inventory;
  }

  /**
   * The edges that held at {@code at}, from {@code changes.edges}: of one kind (an edge collection,
   * e.g. groupOwners), or of every kind when {@code kind} is null. By tenant, kind, from, to.
   */
  public static NavigableMap<EdgeKey, Edge> edgesAt(
      KafkaClients kafka, Topics topics, String kind, Instant at) {
    NavigableMap<EdgeKey, Edge> edges = new TreeMap<>(EDGE_ORDER);
    readUntil(
        kafka,
        topics.edgeChanges(),
        at,
        (key, change) -> {
          if (key == null || change == null || (kind != null && !kind.equals(key.getKind()))) {
            return;
          }
          switch (change.getOp()) {
            case ADD -> edges.put(key, change.getEdge());
            case REMOVE -> edges.remove(key);
          }
        });
    return edges;
  }

  /**
   * The members of each group at {@code at}, from {@code changes.memberships}: group to members.
   */
  public static Map<String, java.util.Set<String>> membersAt(
      KafkaClients kafka, Topics topics, String tenantId, Instant at) {
    Map<String, java.util.Set<String>> groups = new HashMap<>();
    readUntil(
        kafka,
        topics.memberships(),
        at,
        (key, change) -> {
          if (key == null || change == null || !key.getTenantId().equals(tenantId)) {
            return;
          }
          switch (change.getOp()) {
            case ADD ->
                groups
                    .computeIfAbsent(key.getGroupId(), g -> new java.util.HashSet<>())
                    .add(key.getMemberId());
            case REMOVE -> {
              var members = groups.get(key.getGroupId());
              if (members != null) {
                members.remove(key.getMemberId());
              }
            }
          }
        });
    return groups;
  }

  /** Every committed event of a change topic up to {@code at}, in offset order per partition. */
  private static <K, V> void readUntil(
      KafkaClients kafka, Topic<K, V> topic, Instant at, BiConsumer<K, V> each) {
    TopicReader.readUntil(
        kafka,
        topic,
        (consumer, partitions) -> TopicReader.logEnds(kafka, partitions),
        r -> {
          if (r.timestamp() <= at.toEpochMilli()) {
            each.accept(r.key(), r.value());
          }
        });
  }

  private static <E extends SpecificRecord> void apply(
      Map<ObjectKey, E> inventory, Collection<E> collection, ObjectKey key, Change change) {
    if (key == null || change == null) {
      return;
    }
    switch (io.dirpipe.schemas.Envelope.op(change)) {
      case CREATE, UPDATE -> inventory.put(key, collection.entityClass().cast(change.getAfter()));
      case DELETE -> inventory.remove(key);
    }
  }
}
