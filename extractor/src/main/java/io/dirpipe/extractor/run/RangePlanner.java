package io.dirpipe.extractor.run;

import io.dirpipe.core.Time;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Splits a FULL run of a large collection into disjoint ranges of an immutable property ({@link
 * CollectionSpec#rangeProperty}), each then read on a cursor of its own, concurrently.
 *
 * <p>Boundaries come from counts: {@code $count} of {@code property le T} at points in time,
 * refined where a cell holds more than half a range, then cut so that each range holds about the
 * same number of objects. Completeness is proven, not assumed: the ranges' own counts must add up
 * to the collection's count; when they do not (objects without a value, writes while planning, a
 * filter Graph refuses) the run reads the collection on one cursor, and the plan says why.
 */
final class RangePlanner {
  /**
   * The ranges' {@code $filter}s (empty: one cursor), the count they cover (-1: unknown), and why;
   * {@code asked}: whether Graph was asked (a plan made from configuration alone is not logged).
   */
  record Plan(List<String> filters, long total, String reason, boolean asked) {
    boolean ranged() {
      return !filters.isEmpty();
    }
  }

  /** Before any directory object: the first point of the grid. */
  static final Instant FIRST = Instant.parse("2000-01-01T00:00:00Z");

  private static final int GRID = 16;
  private static final int SPLIT = 8;
  private static final int ROUNDS = 6;
  private static final int CONCURRENT_COUNTS = 8;
  private static final Map<String, String> EVENTUAL = Map.of("ConsistencyLevel", "eventual");
  private static final PageReader IDS = new PageReader(null);

  private final PageFetcher fetcher;
  private final CollectionSpec spec;
  private final String base;
  private final RunState state;
  private final Time time;
  private final int maxCursors;
  private final int objectsPerCursor;

  RangePlanner(
      PageFetcher fetcher,
      CollectionSpec spec,
      String base,
      RunState state,
      Time time,
      int maxCursors,
      int objectsPerCursor) {
    this.fetcher = fetcher;
    this.spec = spec;
    this.base = base;
    this.state = state;
    this.time = time;
    this.maxCursors = maxCursors;
    this.objectsPerCursor = objectsPerCursor;
  }

  Plan plan() throws InterruptedException {
    String property = spec.rangeProperty();
    if (property == null || maxCursors < 2) {
      return new Plan(
          List.of(),
          -1,
          "one cursor by configuration or because Graph has no range filter for it",
          false);
    }
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_COUNTS);
    try {
      long total = count(null);
      int k = (int) Math.min(maxCursors, total / objectsPerCursor);
      if (k < 2) {
        return one(total, total + " objects: one cursor");
      }
      List<Instant> bounds = bounds(property, total, k, pool);
      if (bounds.isEmpty()) {
        return one(total, "no boundary of " + property + " splits the collection: one cursor");
      }
      List<String> filters = filters(property, bounds);
      List<CompletableFuture<Long>> counts = new ArrayList<>();
      for (String f : filters) {
        counts.add(async(pool, f));
      }
      long covered = 0;
      for (CompletableFuture<Long> c : counts) {
        covered += CollectionRun.join(c);
      }
      if (covered != total) {
        return one(
            total,
            "the "
                + filters.size()
                + " ranges of "
                + property
                + " hold "
                + covered
                + " of the "
                + total
                + " objects (objects without "
                + property
                + ", or writes while planning): one cursor");
      }
      return new Plan(filters, total, filters.size() + " ranges of " + property, true);
    } catch (ExtractionException e) {
      return one(-1, "Graph refused a range count (" + e.getMessage() + "): one cursor");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Upper bounds (inclusive) of every range but the last, chosen from counts at grid points. */
  private List<Instant> bounds(String property, long total, int k, ExecutorService pool)
      throws InterruptedException {
    Instant end = time.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    NavigableMap<Instant, Long> atOrBefore = new TreeMap<>();
    atOrBefore.put(FIRST, null);
    atOrBefore.put(end, null);
    long step = (end.getEpochSecond() - FIRST.getEpochSecond()) / GRID;
    for (int i = 1; i < GRID; i++) {
      atOrBefore.put(FIRST.plusSeconds(step * i), null);
    }
    long target = total / k;
    for (int round = 0; round < ROUNDS; round++) {
      countMissing(property, atOrBefore, pool);
      List<Instant[]> heavy = new ArrayList<>();
      Instant previous = null;
      for (Map.Entry<Instant, Long> e : atOrBefore.entrySet()) {
        if (previous != null
            && e.getValue() - atOrBefore.get(previous) > target / 2
            && e.getKey().getEpochSecond() - previous.getEpochSecond() > SPLIT) {
          heavy.add(new Instant[] {previous, e.getKey()});
        }
        previous = e.getKey();
      }
      if (heavy.isEmpty()) {
        break;
      }
      for (Instant[] cell : heavy) {
        long width = cell[1].getEpochSecond() - cell[0].getEpochSecond();
        for (int i = 1; i < SPLIT; i++) {
          atOrBefore.putIfAbsent(cell[0].plusSeconds(width * i / SPLIT), null);
        }
      }
    }
    countMissing(property, atOrBefore, pool);
    List<Instant> bounds = new ArrayList<>();
    long last = 0;
    for (Map.Entry<Instant, Long> e : atOrBefore.entrySet()) {
      if (bounds.size() == k - 1) {
        break;
      }
      if (e.getValue() - last >= target && e.getValue() < total) {
        bounds.add(e.getKey());
        last = e.getValue();
      }
    }
    return bounds;
  }

  private void countMissing(
      String property, NavigableMap<Instant, Long> atOrBefore, ExecutorService pool)
      throws InterruptedException {
    Map<Instant, CompletableFuture<Long>> asked = new TreeMap<>();
    atOrBefore.forEach(
        (t, n) -> {
          if (n == null) {
            asked.put(t, async(pool, property + " le " + t));
          }
        });
    for (Map.Entry<Instant, CompletableFuture<Long>> e : asked.entrySet()) {
      atOrBefore.put(e.getKey(), CollectionRun.join(e.getValue()));
    }
  }

  /**
   * {@code le b0}, {@code ge b0+1s and le b1}, ..., {@code ge bn+1s}: disjoint, and together every
   * object whose value is set, at the whole seconds Graph keeps.
   */
  static List<String> filters(String property, List<Instant> bounds) {
    List<String> filters = new ArrayList<>();
    Instant from = null;
    for (Instant b : bounds) {
      filters.add((from == null ? "" : property + " ge " + from + " and ") + property + " le " + b);
      from = b.plusSeconds(1);
    }
    filters.add(property + " ge " + from);
    return filters;
  }

  private CompletableFuture<Long> async(ExecutorService pool, String filter) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return count(filter);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtractionException("interrupted while counting " + spec.collection(), e);
          }
        },
        pool);
  }

  private long count(String filter) throws InterruptedException {
    String what = spec.collection() + " count" + (filter == null ? "" : " of " + filter);
    Page page =
        fetcher.fetch(
            spec.countUrl(base, filter), IDS, EVENTUAL, spec.predictedCost(), state, what);
    if (page.count() < 0) {
      throw new ExtractionException(what + ": Graph's answer has no @odata.count", null);
    }
    return page.count();
  }

  private static Plan one(long total, String reason) {
    return new Plan(List.of(), total, reason, true);
  }
}
