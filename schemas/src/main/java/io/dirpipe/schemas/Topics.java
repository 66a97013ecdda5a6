package io.dirpipe.schemas;

import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.serde.AvroSerde;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue (DESIGN.md, Topics): every topic dirpipe reads or writes, named from one
 * prefix.
 *
 * <p>Serdes are created once per catalogue and shared; they are thread-safe.
 */
public final class Topics {
  public static final String DEFAULT_PREFIX = "dirpipe.";

  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

  private final String prefix;
  private final Serde<ObjectKey> objectKeys = AvroSerde.of(ObjectKey.class);

  public Topics() {
    this(DEFAULT_PREFIX);
  }

  /**
   * @param prefix prepended to every topic name, e.g. {@code dirpipe.} or {@code prod.dirpipe.}
   * @throws IllegalArgumentException when the prefix has characters Kafka does not allow in topic
   *     names
   */
  public Topics(String prefix) {
    if (prefix == null || !LEGAL.matcher(prefix).matches() || prefix.length() > 200) {
      throw new IllegalArgumentException(
          "Invalid topic prefix '"
              + prefix
              + "': use only letters, digits, '.', '_' and '-' (at most 200 characters)");
    }
    this.prefix = prefix;
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
    return new Topic<>(
        prefix + kind + collection.name(), objectKeys, AvroSerde.of(Observation.class), false);
  }

  /** {@code checkpoints}: where each (tenant, collection) run stands. Compacted. */
  public Topic<CheckpointKey, Checkpoint> checkpoints() {
    return new Topic<>(
        prefix + "checkpoints",
        AvroSerde.of(CheckpointKey.class),
        AvroSerde.of(Checkpoint.class),
        true);
  }

  /** {@code runs}: run started / completed / failed, keyed by run id. */
  public Topic<String, RunEvent> runs() {
    return new Topic<>(prefix + "runs", Serdes.String(), AvroSerde.of(RunEvent.class), false);
  }

  /** {@code changes.<collection>}: create / update / delete events of directory objects. */
  public Topic<ObjectKey, Change> changes(Collection<?> collection) {
    requireObjectCollection(collection);
    return new Topic<>(
        prefix + "changes." + collection.name(), objectKeys, AvroSerde.of(Change.class), false);
  }

  /** {@code changes.memberships}: membership ADD / REMOVE edges. */
  public Topic<MembershipKey, MembershipChange> memberships() {
    return new Topic<>(
        prefix + "changes.memberships",
        AvroSerde.of(MembershipKey.class),
        AvroSerde.of(MembershipChange.class),
        false);
  }

  /**
   * {@code changes.edges}: ADD / REMOVE of the edges of every edge collection (owners, role
   * members, ...), keyed by tenant, kind and both ends.
   */
  public Topic<EdgeKey, EdgeChange> edgeChanges() {
    return new Topic<>(
        prefix + "changes.edges",
        AvroSerde.of(EdgeKey.class),
        AvroSerde.of(EdgeChange.class),
        false);
  }

  /** {@code inventory.edges}: every edge that holds now, a tombstone when removed. Compacted. */
  public Topic<EdgeKey, Edge> edgeInventory() {
    return new Topic<>(
        prefix + "inventory.edges", AvroSerde.of(EdgeKey.class), AvroSerde.of(Edge.class), true);
  }

  /**
   * {@code inventory.<collection>}: the latest object per key, a tombstone on delete. Compacted.
   */
  public <E extends SpecificRecord> Topic<ObjectKey, E> inventory(Collection<E> collection) {
    requireObjectCollection(collection);
    return new Topic<>(
        prefix + "inventory." + collection.name(),
        objectKeys,
        AvroSerde.of(collection.entityClass()),
        true);
  }

  /** {@code tasks}: extraction work, keyed by tenant id. */
  public Topic<String, ExtractionTask> tasks() {
    return new Topic<>(
        prefix + "tasks", Serdes.String(), AvroSerde.of(ExtractionTask.class), false);
  }

  /**
   * {@code dlq.<sink>}: records a sink could never deliver, bytes as read, the error in headers.
   */
  public Topic<byte[], byte[]> deadLetters(String sink) {
    return new Topic<>(prefix + "dlq." + sink, Serdes.ByteArray(), Serdes.ByteArray(), false);
  }

  private static void requireObjectCollection(Collection<?> collection) {
    if (!collection.isObjectCollection()) {
      throw new IllegalArgumentException(
          collection.name() + " has no change or inventory topic: use memberships()");
    }
  }
}
