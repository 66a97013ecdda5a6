package io.dirpipe.transformer.changes;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this instance has processed: observations in and events out, per collection. Counts since
 * start, including work of transactions that later aborted; the topics are the truth.
 */
public final class TransformStats {
  private final Map<String, Counters> byCollection = new ConcurrentHashMap<>();
  private final LongAdder inputs = new LongAdder();

  /** The counters of one collection. */
  public Counters of(String collection) {
    return byCollection.computeIfAbsent(collection, c -> new Counters());
  }

  /** Observations processed, all collections. */
  public long inputs() {
    return inputs.sum();
  }

  /** Per collection: {@code input}, {@code skipped} and a count per operation emitted. */
  public Map<String, Map<String, Long>> snapshot() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    byCollection.forEach(
        (c, counters) -> {
          Map<String, Long> m = new TreeMap<>();
          m.put("input", counters.input.sum());
          m.put("skipped", counters.skipped.sum());
          counters.ops.forEach((op, n) -> m.put(op, n.sum()));
          out.put(c, m);
        });
    return out;
  }

  /** Counters of one collection; thread-safe. */
  public final class Counters {
    private final LongAdder input = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final Map<String, LongAdder> ops = new ConcurrentHashMap<>();

    void input() {
      input.increment();
      inputs.increment();
    }

    void skipped() {
      skipped.increment();
    }

    void count(String op) {
      ops.computeIfAbsent(op, o -> new LongAdder()).increment();
    }
  }
}
