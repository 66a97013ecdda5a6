package io.dirpipe.schemas.wire;

import java.util.EnumMap;
import java.util.Map;

/**
 * The value format of each class of topics, and the registry when one is configured. Internal
 * topics (checkpoints, tasks, the transformer's state) are always single-object Avro: only dirpipe
 * reads them, and a role must be able to resume when the registry is down.
 *
 * @param formats the format per class; a class not in the map is {@link ValueFormat#AVRO}
 * @param registry null when no registry is configured
 */
public record Formats(Map<TopicClass, ValueFormat> formats, RegistryClient registry) {
  /** Single-object Avro everywhere, no registry: what dirpipe's own tests and benches use. */
  public static final Formats EMBEDDED = new Formats(Map.of(), null);

  /** The topics whose format is configurable, as named in {@code topics.value-format.<class>}. */
  public enum TopicClass {
    /** {@code raw.<collection>} and {@code events.<stream>}. */
    RAW,
    /** {@code changes.<collection>}, {@code changes.memberships}, {@code changes.edges}. */
    CHANGES,
    /** {@code inventory.<collection>}, {@code inventory.edges}. */
    INVENTORY,
    /** {@code runs}. */
    RUNS;

    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Formats {
    formats = formats.isEmpty() ? Map.of() : new EnumMap<>(formats);
    for (Map.Entry<TopicClass, ValueFormat> e : formats.entrySet()) {
      if (e.getValue() == ValueFormat.AVRO_REGISTRY && registry == null) {
        throw new IllegalArgumentException(
            "The "
                + e.getKey().configName()
                + " topics' value format is avro-registry, and no schema-registry.url is set:"
                + " set it (dirpipe kafka and dirpipe sandbox --kafka print it) or choose avro or"
                + " json");
      }
    }
  }

  /** The format of that class of topics. */
  public ValueFormat of(TopicClass topicClass) {
    return formats.getOrDefault(topicClass, ValueFormat.AVRO);
  }
}
