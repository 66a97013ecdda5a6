package io.dirpipe.transformer;

import io.dirpipe.schemas.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The Streams application: which collections, where its state lives, which fields are volatile. */
public final class TransformerConfig extends AbstractConfig {
  public static final String APPLICATION_ID = "transform.application-id";
  public static final String COLLECTIONS = "transform.collections";
  public static final String STATE_DIR = "transform.state-dir";
  public static final String THREADS = "transform.threads";
  public static final String VOLATILE_PREFIX = "transform.volatile.";

  /**
   * Fields that change without anything happening to the object (sync and sign-in timestamps): left
   * out of the content hash and of changedFields.
   */
  static final Map<Collection<?>, String> DEFAULT_VOLATILE =
      Map.of(
          Collection.USERS, "onPremisesLastSyncDateTime",
          Collection.GROUPS, "onPremisesLastSyncDateTime",
          Collection.DEVICES, "approximateLastSignInDateTime,onPremisesLastSyncDateTime",
          Collection.USER_REGISTRATION_DETAILS, "lastUpdatedDateTime");

  public static final ConfigDef DEF = define();

  private static ConfigDef define() {
    ConfigDef def =
        new ConfigDef()
            .define(
                APPLICATION_ID,
                Type.STRING,
                "dirpipe-transformer",
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Kafka Streams application.id: its consumer group, and the prefix of its changelog topics.")
            .define(
                COLLECTIONS,
                Type.LIST,
                Collection.defaultNames(),
                transformable(),
                Importance.MEDIUM,
                "Collections whose raw topics are turned into change events (groupMembers: membership"
                    + " edges; edge collections: changes.edges). Not the event streams: their"
                    + " events.<stream> topics are the events already.")
            .define(
                STATE_DIR,
                Type.STRING,
                "./dirpipe-state",
                new ConfigDef.NonEmptyString(),
                Importance.MEDIUM,
                "Folder of the local state stores (RocksDB); rebuilt from the changelog topics when lost.")
            .define(
                THREADS,
                Type.INT,
                2,
                Range.between(1, 64),
                Importance.LOW,
                "Stream threads of this instance (num.stream.threads).");
    for (Collection<?> c : Collection.all()) {
      if (!c.isObjectCollection()) {
        continue;
      }
      def.define(
          VOLATILE_PREFIX + c.name(),
          Type.LIST,
          DEFAULT_VOLATILE.getOrDefault(c, ""),
          volatileValidator(c),
          Importance.LOW,
          "Fields of "
              + c.name()
              + " left out of the content hash and changedFields: a change to them alone is no change.");
    }
    return def;
  }

  /** Collection names, none of them an event stream. */
  private static ConfigDef.Validator transformable() {
    return (name, value) -> {
      Collection.listValidator().ensureValid(name, value);
      for (Object c : (List<?>) value) {
        if (Collection.of(String.valueOf(c)).isEventStream()) {
          throw new org.apache.kafka.common.config.ConfigException(
              name,
              value,
              c
                  + " is an event stream: its events are published once into events."
                  + c
                  + ", with nothing to transform; take it out of "
                  + name);
        }
      }
    };
  }

  private static ConfigDef.Validator volatileValidator(Collection<?> c) {
    return (name, value) -> {
      Schema schema = c.entitySchema();
      for (Object f : (List<?>) value) {
        if (schema.getField(String.valueOf(f)) == null) {
          throw new ConfigException(
              name,
              value,
              "'"
                  + f
                  + "' is not a field of "
                  + c.name()
                  + "; fields: "
                  + schema.getFields().stream()
                      .map(Schema.Field::name)
                      .collect(Collectors.joining(", ")));
        }
      }
    };
  }

  public TransformerConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public String applicationId() {
    return getString(APPLICATION_ID);
  }

  public List<Collection<?>> collections() {
    return getList(COLLECTIONS).stream().distinct().<Collection<?>>map(Collection::of).toList();
  }

  public String stateDir() {
    return getString(STATE_DIR);
  }

  public int threads() {
    return getInt(THREADS);
  }

  /** The volatile fields of an object collection. */
  public Set<String> volatileFields(Collection<?> collection) {
    return Set.copyOf(getList(VOLATILE_PREFIX + collection.name()));
  }
}
