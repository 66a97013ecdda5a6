package io.dirpipe.schemas;

import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.serde.AvroSerde;
import io.dirpipe.schemas.wire.Formats;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import io.dirpipe.schemas.wire.TopicSerde;
import io.dirpipe.schemas.wire.WireSchema;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue (DESIGN.md, Topics): every topic dirpipe reads or writes, named from one
 * prefix.
 *
 * <p>Serdes are created once per catalogue and topic and shared; they are thread-safe. The public
 * topics (raw, events, changes, inventory, runs) are written in the {@link Formats} configured for
 * their class; internal ones (checkpoints, tasks) always in single-object Avro.
 */
public final class Topics {
  public static final String DEFAULT_PREFIX = "dirpipe.";

  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

  private final String prefix;
  private final Formats formats;
  private final TopicLayout layout;
  private final Map<String, Serde<?>> serdes = new ConcurrentHashMap<>();

  public Topics() {
    this(DEFAULT_PREFIX);
  }

  /** Single-object Avro on every topic. */
  public Topics(String prefix) {
    this(prefix, Formats.EMBEDDED);
  }

  /**
   * @param prefix prepended to every topic name, e.g. {@code dirpipe.} or {@code prod.dirpipe.}
   * @throws IllegalArgumentException when the prefix has characters Kafka does not allow in topic
   *     names
   */
  public Topics(String prefix, Formats formats) {
    this(prefix, formats, TopicLayout.DEFAULT);
  }

  /**
   * @param layout partitions and retention of the topics a stage creates when they are missing
   */
  public Topics(String prefix, Formats formats, TopicLayout layout) {
    if (prefix == null || !LEGAL.matcher(prefix).matches() || prefix.length() > 200) {
      throw new IllegalArgumentException(
          "Invalid topic prefix '"
              + prefix
              + "': use only letters, digits, '.', '_' and '-' (at most 200 characters)");
    }
    this.prefix = prefix;
    this.formats = formats;
    this.layout = layout;
  }

  /** Partitions and retention of the topics a stage creates. */
  public TopicLayout layout() {
    return layout;
  }

  public Formats formats() {
    return formats;
  }

  /**
   * The serde of a public topic's keys or values in its class's format.
   *
   * @param collection the topic's collection, whose entity narrows the written schema; null for
   *     topics of no one collection
   */
  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> Serde<T> serde(
      String topic, boolean key, Class<T> type, Collection<?> collection, TopicClass topicClass) {
    if (formats == Formats.EMBEDDED) {
      return AvroSerde.of(type);
    }
    String subject = topic + (key ? "-key" : "-value");
    return (Serde<T>)
        serdes.computeIfAbsent(
            subject,
            s ->
                new TopicSerde<>(
                    type,
                    s,
                    wireSchema(key, type, collection),
                    formats.of(topicClass),
                    formats.registry()));
  }

  /**
   * What a public topic's records are written with outside single-object Avro: a change as
   * Debezium's envelope of its collection's entity, a raw observation with its collection's entity
   * as payload, anything else as it is.
   */
  private static Schema wireSchema(boolean key, Class<?> type, Collection<?> collection) {
    Schema schema = AvroSerde.MODEL.getSchema(type);
    if (key || collection == null) {
      return schema;
    }
    return type == Change.class
        ? WireSchema.envelope(schema, collection.name(), collection.entitySchema())
        : WireSchema.of(schema, collection.entitySchema());
  }

  private <K extends SpecificRecord, V extends SpecificRecord> Topic<K, V> publicTopic(
      String name,
      Class<K> key,
      Class<V> value,
      Collection<?> collection,
      TopicClass topicClass,
      TopicKind kind) {
    return new Topic<>(
        name,
        serde(name, true, key, collection, topicClass),
        serde(name, false, value, collection, topicClass),
        kind);
  }

  public String prefix() {
    return prefix;
  }

  /**
   * {@code raw.<collection>}: every observation, the audit log; {@code events.<stream>} for an
   * event stream (its events, keyed by event id).
   */
  public Topic<ObjectKey, Observation> raw(Collection<?> collection) {
    String kind = collection.isEventStream() ? "events." : "raw.";
    return publicTopic(
        prefix + kind + collection.name(),
        ObjectKey.class,
        Observation.class,
        collection,
        TopicClass.RAW,
        TopicKind.RAW);
  }

  /** {@code checkpoints}: where each (tenant, collection) run stands. Compacted. */
  public Topic<CheckpointKey, Checkpoint> checkpoints() {
    return new Topic<>(
        prefix + "checkpoints",
        AvroSerde.of(CheckpointKey.class),
        AvroSerde.of(Checkpoint.class),
        TopicKind.CHECKPOINTS);
  }

  /** {@code runs}: run started / completed / failed, keyed by run id. */
  public Topic<String, RunEvent> runs() {
    String name = prefix + "runs";
    return new Topic<>(
        name,
        Serdes.String(),
        serde(name, false, RunEvent.class, null, TopicClass.RUNS),
        TopicKind.RUNS);
  }

  /** {@code changes.<collection>}: create / update / delete events of directory objects. */
  public Topic<ObjectKey, Change> changes(Collection<?> collection) {
    requireObjectCollection(collection);
    return publicTopic(
        prefix + "changes." + collection.name(),
        ObjectKey.class,
        Change.class,
        collection,
        TopicClass.CHANGES,
        TopicKind.CHANGES);
  }

  /** {@code changes.memberships}: membership ADD / REMOVE edges. */
  public Topic<MembershipKey, MembershipChange> memberships() {
    return publicTopic(
        prefix + "changes.memberships",
        MembershipKey.class,
        MembershipChange.class,
        null,
        TopicClass.CHANGES,
        TopicKind.CHANGES);
  }

  /**
   * {@code changes.edges}: ADD / REMOVE of the edges of every edge collection (owners, role
   * members, ...), keyed by tenant, kind and both ends.
   */
  public Topic<EdgeKey, EdgeChange> edgeChanges() {
    return publicTopic(
        prefix + "changes.edges",
        EdgeKey.class,
        EdgeChange.class,
        null,
        TopicClass.CHANGES,
        TopicKind.CHANGES);
  }

  /** {@code inventory.edges}: every edge that holds now, a tombstone when removed. Compacted. */
  public Topic<EdgeKey, Edge> edgeInventory() {
    return publicTopic(
        prefix + "inventory.edges",
        EdgeKey.class,
        Edge.class,
        null,
        TopicClass.INVENTORY,
        TopicKind.INVENTORY);
  }

  /**
   * {@code inventory.<collection>}: the latest object per key, a tombstone on delete. Compacted.
   */
  public <E extends SpecificRecord> Topic<ObjectKey, E> inventory(Collection<E> collection) {
    requireObjectCollection(collection);
    return publicTopic(
        prefix + "inventory." + collection.name(),
        ObjectKey.class,
        collection.entityClass(),
        collection,
        TopicClass.INVENTORY,
        TopicKind.INVENTORY);
  }

  /** {@code tasks}: extraction work, keyed by tenant id. */
  public Topic<String, ExtractionTask> tasks() {
    return new Topic<>(
        prefix + "tasks", Serdes.String(), AvroSerde.of(ExtractionTask.class), TopicKind.TASKS);
  }

  /**
   * {@code dlq.<sink>}: records a sink could never deliver, bytes as read, the error in headers.
   */
  public Topic<byte[], byte[]> deadLetters(String sink) {
    return new Topic<>(
        prefix + "dlq." + sink, Serdes.ByteArray(), Serdes.ByteArray(), TopicKind.DLQ);
  }

  private static void requireObjectCollection(Collection<?> collection) {
    if (!collection.isObjectCollection()) {
      throw new IllegalArgumentException(
          collection.name() + " has no change or inventory topic: use memberships()");
    }
  }
}
