package io.dirpipe.transformer.changes;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.serde.AvroSerde;
import io.dirpipe.schemas.state.EdgeState;
import io.dirpipe.schemas.state.ObjectState;
import io.dirpipe.transformer.TransformerConfig;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The transformer's topology: one sub-topology per configured collection, each reading its raw
 * topic. Object collections write {@code changes.<c>} and {@code inventory.<c>}; groupMembers
 * writes {@code changes.memberships}; edge collections write {@code changes.edges} and {@code
 * inventory.edges}. Each keeps a persistent store (with a changelog) of what it knows.
 */
public final class ChangeTopology {
  private ChangeTopology() {}

  public static Topology build(TransformerConfig config, Topics topics, TransformStats stats) {
    Topology t = new Topology();
    for (Collection<?> c : config.collections()) {
      if (c.isObjectCollection()) {
        addObjects(t, c, config, topics, stats.of(c.name()));
      } else if (c.isEdgeCollection()) {
        addEdges(t, c, topics, stats.of(c.name()));
      } else {
        addMemberships(t, topics, stats.of(c.name()));
      }
    }
    return t;
  }

  /**
   * The stores of a collection (changelogs: {@code <app>-<name>-changelog}): for objects, what was
   * last seen of each ({@code seen-<c>}) and the object as last changed ({@code objects-<c>}); for
   * memberships, the edges.
   */
  public static List<String> storeNames(Collection<?> c) {
    if (c.isEdgeCollection()) {
      return List.of("edges-" + c.name());
    }
    return c.isObjectCollection()
        ? List.of("seen-" + c.name(), "objects-" + c.name())
        : List.of("edges");
  }

  private static void addObjects(
      Topology t,
      Collection<?> c,
      TransformerConfig config,
      Topics topics,
      TransformStats.Counters counters) {
    Topic<ObjectKey, Observation> raw = topics.raw(c);
    String source = "raw-" + c.name();
    String processor = "detect-" + c.name();
    String changes = "changes-" + c.name();
    String inventory = "inventory-" + c.name();
    String seen = storeNames(c).get(0);
    String objects = storeNames(c).get(1);
    t.addSource(source, raw.keySerde().deserializer(), raw.valueSerde().deserializer(), raw.name());
    t.addProcessor(
        processor,
        () ->
            new ObjectChanges(
                seen,
                objects,
                changes,
                inventory,
                new Fingerprint(c.entitySchema(), config.volatileFields(c)),
                c.entityClass(),
                counters),
        source);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(seen), raw.keySerde(), AvroSerde.of(ObjectState.class)),
        processor);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(objects), raw.keySerde(), entitySerde(c)),
        processor);
    Topic<ObjectKey, ?> changeTopic = topics.changes(c);
    Topic<ObjectKey, ?> inventoryTopic = topics.inventory(c);
    t.addSink(
        changes, changeTopic.name(), raw.keySerde().serializer(), anyValue(changeTopic), processor);
    t.addSink(
        inventory,
        inventoryTopic.name(),
        raw.keySerde().serializer(),
        anyValue(inventoryTopic),
        processor);
  }

  private static void addMemberships(Topology t, Topics topics, TransformStats.Counters counters) {
    Topic<ObjectKey, Observation> raw = topics.raw(Collection.GROUP_MEMBERS);
    var memberships = topics.memberships();
    String store = storeNames(Collection.GROUP_MEMBERS).get(0);
    t.addSource(
        "raw-groupMembers",
        raw.keySerde().deserializer(),
        raw.valueSerde().deserializer(),
        raw.name());
    t.addProcessor(
        "detect-groupMembers",
        () -> new MembershipChanges(store, memberships.keySerde().serializer(), counters),
        "raw-groupMembers");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(store),
            memberships.keySerde(),
            AvroSerde.of(EdgeState.class)),
        "detect-groupMembers");
    t.addSink(
        "changes-memberships",
        memberships.name(),
        memberships.keySerde().serializer(),
        memberships.valueSerde().serializer(),
        "detect-groupMembers");
  }

  /**
   * An edge collection: its raw topic into {@code changes.edges} and {@code inventory.edges}, which
   * every edge collection shares (the key names the kind).
   */
  private static void addEdges(
      Topology t, Collection<?> c, Topics topics, TransformStats.Counters counters) {
    Topic<ObjectKey, Observation> raw = topics.raw(c);
    var changes = topics.edgeChanges();
    var inventory = topics.edgeInventory();
    String source = "raw-" + c.name();
    String processor = "detect-" + c.name();
    String changesSink = "changes-edges-" + c.name();
    String inventorySink = "inventory-edges-" + c.name();
    String store = storeNames(c).get(0);
    t.addSource(source, raw.keySerde().deserializer(), raw.valueSerde().deserializer(), raw.name());
    t.addProcessor(
        processor, () -> new EdgeChanges(store, changesSink, inventorySink, counters), source);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(store),
            changes.keySerde(),
            AvroSerde.of(EdgeState.class)),
        processor);
    t.addSink(
        changesSink, changes.name(), changes.keySerde().serializer(), anyValue(changes), processor);
    t.addSink(
        inventorySink,
        inventory.name(),
        inventory.keySerde().serializer(),
        anyValue(inventory),
        processor);
  }

  /** The entity serde of a collection, typed for a store of any directory object. */
  @SuppressWarnings("unchecked")
  private static Serde<SpecificRecord> entitySerde(Collection<?> c) {
    return (Serde<SpecificRecord>) (Serde<?>) AvroSerde.of(c.entityClass());
  }

  /** The processor forwards Change or entity values as Object; each sink knows its own type. */
  @SuppressWarnings("unchecked")
  private static Serializer<Object> anyValue(Topic<?, ?> topic) {
    return (Serializer<Object>) topic.valueSerde().serializer();
  }
}
