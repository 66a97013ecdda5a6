package io.dirpipe.schemas;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the topics dirpipe creates are laid out: partitions and retention per {@link TopicKind}. A
 * topic that exists is left as it is (its partitions, its retention).
 *
 * @param partitions partitions per kind; a kind not in it gets {@link #DEFAULT_PARTITIONS}
 * @param retention {@code retention.ms} per kind; a kind not in it gets the broker's default
 *     ({@code log.retention.*}, or the Event Hubs namespace's retention)
 */
public record TopicLayout(Map<TopicKind, Integer> partitions, Map<TopicKind, Duration> retention) {
  /**
   * Enough for three extraction workers, transformer instances or sink instances to share the load
   * (a partition is read by one consumer of a group), and few enough for a small broker.
   */
  public static final int DEFAULT_PARTITIONS = 3;

  /** Three partitions everywhere, the broker's retention. */
  public static final TopicLayout DEFAULT = new TopicLayout(Map.of(), Map.of());

  public TopicLayout {
    partitions = partitions.isEmpty() ? Map.of() : new EnumMap<>(partitions);
    retention = retention.isEmpty() ? Map.of() : new EnumMap<>(retention);
  }

  /** Partitions of a new topic of that kind (one for {@link TopicKind#INTERNAL}). */
  public int partitions(TopicKind kind) {
    return partitions.getOrDefault(kind, kind == TopicKind.INTERNAL ? 1 : DEFAULT_PARTITIONS);
  }

  /** {@code retention.ms} of a new topic of that kind; empty: the broker's default. */
  public Optional<Duration> retention(TopicKind kind) {
    return Optional.ofNullable(retention.get(kind));
  }
}
