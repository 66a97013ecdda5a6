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
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The transformer's topology: one sub-topology per configured collection, each reading its raw
 * topic. Object collections write {@code changes.<c>} and {@code inventory.<c>}; groupMembers
 * writes {@code changes.memberships}. Each keeps a persistent store (with a changelog) of what it
 * knows.
 */
public final class ChangeTopology {
  private ChangeTopology() {}

  public static Topology build(TransformerConfig config, Topics topics, TransformStats stats) {
    Topology t = new Topology();
    for (Collection<?> c : config.collections()) {
      if (c.isObjectCollection()) {
        addObjects(t, c, config, topics, stats.of(c.name()));
      } else {
        addMemberships(t, topics, stats.of(c.name()));
      }
    }
    return t;
  }

  /**
   * The name of the state store of a collection (its changelog: {@code <app>-<name>-changelog}).
   */
  public static String storeName(Collection<?> c) {
    return c.isObjectCollection() ? "objects-" + c.name() : "edges";
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
    String store = storeName(c);
    t.addSource(source, raw.keySerde().deserializer(), raw.valueSerde().deserializer(), raw.name());
    t.addProcessor(
        processor,
        () ->
            new ObjectChanges(
                store,
                changes,
                inventory,
                new Fingerprint(c.entitySchema(), config.volatileFields(c)),
                c.entityClass(),
                counters),
        source);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(store), raw.keySerde(), AvroSerde.of(ObjectState.class)),
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
    String store = storeName(Collection.GROUP_MEMBERS);
    t.addSource(
        "raw-groupMembers",
        raw.keySerde().deserializer(),
        raw.valueSerde().deserializer(),
        raw.name());
    t.addProcessor(
        "detect-groupMembers", () -> new MembershipChanges(store, counters), "raw-groupMembers");
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

  /** The processor forwards Change or entity values as Object; each sink knows its own type. */
  @SuppressWarnings("unchecked")
  private static Serializer<Object> anyValue(Topic<?, ?> topic) {
    return (Serializer<Object>) topic.valueSerde().serializer();
  }
}
