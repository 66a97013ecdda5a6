package io.dirpipe.transformer.changes;

import io.dirpipe.schemas.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Mark and sweep at the end of a FULL run, for one partition's store: what the run did not see, and
 * nothing else saw since the run started, is gone.
 */
final class Sweep {
  private Sweep() {}

  /** The run-start cut-off of a RUN_END marker (its own time if an old extractor left it out). */
  static Instant start(Observation runEnd) {
    return runEnd.getRunStartedAt() != null ? runEnd.getRunStartedAt() : runEnd.getObservedAt();
  }

  /** The entries of the tenant that the run {@code runId} did not observe and are older. */
  static <K, S> List<KeyValue<K, S>> stale(
      KeyValueStore<K, S> store,
      Predicate<K> ofTenant,
      Function<S, String> runOf,
      Function<S, Instant> seenOf,
      String runId,
      Instant start) {
    List<KeyValue<K, S>> stale = new ArrayList<>();
    try (KeyValueIterator<K, S> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<K, S> e = it.next();
        if (ofTenant.test(e.key)
            && !runId.equals(runOf.apply(e.value))
            && seenOf.apply(e.value).isBefore(start)) {
          stale.add(e);
        }
      }
    }
    return stale;
  }
}
