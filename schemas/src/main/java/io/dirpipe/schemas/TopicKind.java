package io.dirpipe.schemas;

import java.util.Locale;

/**
 * The classes of topics dirpipe creates, each with its own partition count and retention ({@code
 * topics.partitions.<kind>}, {@code topics.retention.<kind>}) and its cleanup policy.
 */
public enum TopicKind {
  /** {@code raw.<collection>} and {@code events.<stream>}: every observation. */
  RAW(false),
  /** {@code changes.<collection>}, {@code changes.memberships}, {@code changes.edges}. */
  CHANGES(false),
  /** {@code inventory.<collection>}, {@code inventory.edges}: the latest value per key. */
  INVENTORY(true),
  /** {@code runs}: run started, completed, failed. */
  RUNS(false),
  /** {@code checkpoints}: where each (tenant, collection) stands. */
  CHECKPOINTS(true),
  /** {@code tasks}: extraction work for the workers. */
  TASKS(false),
  /** {@code dlq.<sink>}: what a sink could never deliver. */
  DLQ(false),
  /** A topic of the sandbox's own (its schema registry's store): one partition. */
  INTERNAL(true);

  private final boolean compacted;

  TopicKind(boolean compacted) {
    this.compacted = compacted;
  }

  /** Created with {@code cleanup.policy=compact} (else {@code delete}). */
  public boolean compacted() {
    return compacted;
  }

  /** The name in configuration keys: {@code raw}, {@code changes}, ... */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
