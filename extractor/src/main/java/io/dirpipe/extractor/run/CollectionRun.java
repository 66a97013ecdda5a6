package io.dirpipe.extractor.run;

import io.dirpipe.core.Time;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a directory-object collection: FULL pages with {@code $top} and {@code $select}, DELTA
 * from the stored deltaLink (or an initial sync). Each page is committed with its checkpoint; the
 * next page is fetched while the current one is published; a killed run resumes at the committed
 * next link.
 *
 * <p>A FULL run of a large collection reads disjoint ranges on several cursors at once ({@link
 * RangePlanner}); the checkpoint then holds every range's next link, so a killed run resumes each
 * range where its last committed page left it.
 */
public final class CollectionRun {
  private static final Logger log = LoggerFactory.getLogger(CollectionRun.class);

  /** Pages read ahead of the commits (one cursor; a ranged run adds one per further cursor). */
  static final int LOOKAHEAD = 3;

  /** What a run needs besides its spec. */
  public record Context(
      String tenantId,
      String graphBase,
      int pageSize,
      boolean delta,
      boolean withMembers,
      PageFetcher fetcher,
      PageFetcher listings,
      Publisher publisher,
      Topics topics,
      ExecutorService prefetch,
      ProgressBoard board,
      Time time,
      boolean failOnInvalidObject,
      int maxCursors,
      int objectsPerCursor) {

    /** Stops the run when {@code extract.on-invalid-object=fail} and objects had no id. */
    void checkInvalid(String what, int withoutId) {
      if (withoutId > 0 && failOnInvalidObject) {
        throw new ExtractionException(
            what
                + ": "
                + withoutId
                + " object(s) without an id. extract.on-invalid-object=fail stops the run here;"
                + " set it to skip to count and skip such objects",
            null);
      }
    }
  }

  private final CollectionSpec spec;
  private final Context ctx;
  private final PageReader reader;

  public CollectionRun(CollectionSpec spec, Context ctx) {
    this.spec = spec;
    this.ctx = ctx;
    this.reader = new PageReader(spec.itemSchema());
  }

  /** Where one cursor of the run stands. */
  private static final class Cursor {
    /** Its range ({@code $filter}), or null when it is the run's only cursor. */
    final String filter;

    /** Where it continues: its next link, or its first page before it has committed one. */
    String url;

    boolean done;

    Cursor(String filter, String url, boolean done) {
      this.filter = filter;
      this.url = url;
      this.done = done;
    }
  }

  /** Runs to completion (resuming a committed run when there is one); returns the summary. */
  public RunSummary run(Checkpoint checkpoint) throws InterruptedException {
    RunState state;
    List<Cursor> cursors;
    boolean resumed =
        checkpoint != null
            && (checkpoint.getNextLink() != null || !checkpoint.getCursors().isEmpty());
    if (resumed) {
      state = RunState.resumed(checkpoint, ctx.time());
      cursors = resumedCursors(checkpoint);
      log.info(
          "{}: resuming run {} after page {} ({} objects so far)",
          spec.collection(),
          state.runId,
          state.pages,
          state.records);
    } else {
      String deltaLink = checkpoint == null ? null : checkpoint.getDeltaLink();
      boolean delta = ctx.delta() && spec.supportsDelta();
      state =
          RunState.fresh(
              ctx.tenantId(),
              spec.collection().name(),
              delta ? Mode.DELTA : Mode.FULL,
              deltaLink,
              ctx.time());
      cursors =
          !delta
              ? fullCursors(state)
              : List.of(
                  new Cursor(
                      null,
                      deltaLink != null
                          ? deltaLink
                          : spec.deltaUrl(
                              ctx.graphBase(),
                              ctx.withMembers() && spec.collection() == Collection.GROUPS),
                      false));
    }
    try {
      return pages(state, cursors, !resumed);
    } catch (PageFetcher.ResyncRequired e) {
      log.warn(
          "{}: the delta token is no longer valid ({}); starting a new FULL run",
          spec.collection(),
          e.getMessage());
      RunState full =
          RunState.fresh(ctx.tenantId(), spec.collection().name(), Mode.FULL, null, ctx.time());
      return pages(full, fullCursors(full), true);
    }
  }

  /** The cursors of a new FULL run: one, or one per range when the collection is large. */
  private List<Cursor> fullCursors(RunState state) throws InterruptedException {
    RangePlanner.Plan plan =
        new RangePlanner(
                ctx.fetcher(),
                spec,
                ctx.graphBase(),
                state,
                ctx.time(),
                ctx.maxCursors(),
                ctx.objectsPerCursor())
            .plan();
    if (!plan.ranged()) {
      if (plan.asked()) {
        log.info("{}: {}", spec.collection(), plan.reason());
      }
      return List.of(new Cursor(null, spec.fullUrl(ctx.graphBase(), ctx.pageSize()), false));
    }
    log.info(
        "{}: {} objects in {} concurrent cursors: {}",
        spec.collection(),
        plan.total(),
        plan.filters().size(),
        plan.reason());
    List<Cursor> cursors = new ArrayList<>();
    for (String f : plan.filters()) {
      cursors.add(new Cursor(f, spec.rangeUrl(ctx.graphBase(), ctx.pageSize(), f), false));
    }
    return cursors;
  }

  private List<Cursor> resumedCursors(Checkpoint checkpoint) {
    if (checkpoint.getCursors().isEmpty()) {
      return List.of(new Cursor(null, checkpoint.getNextLink(), false));
    }
    List<Cursor> cursors = new ArrayList<>();
    for (io.dirpipe.schemas.Cursor c : checkpoint.getCursors()) {
      String url =
          c.getNextLink() != null
              ? c.getNextLink()
              : spec.rangeUrl(ctx.graphBase(), ctx.pageSize(), c.getFilter());
      cursors.add(new Cursor(c.getFilter(), url, c.getDone()));
    }
    return cursors;
  }

  /** A fetched page of a cursor made ready for commit off the committing thread. */
  private record Prepared(
      Cursor cursor, Page page, Observations observations, List<Publisher.Serialized> records) {}

  private RunSummary pages(RunState state, List<Cursor> cursors, boolean announce)
      throws InterruptedException {
    ctx.board().track(state);
    state.cursors = cursors.size();
    Map<String, String> headers =
        state.mode == Mode.DELTA
            ? Map.of("Prefer", "odata.maxpagesize=" + ctx.pageSize())
            : Map.of();
    // every cursor may have a page waiting, and the run as a whole LOOKAHEAD: more would only be
    // more live heap for the collector to copy
    BlockingQueue<Object> ready = new ArrayBlockingQueue<>(LOOKAHEAD + cursors.size() - 1);
    AtomicInteger pageNumbers = new AtomicInteger(state.pages);
    List<Future<?>> reading = new ArrayList<>();
    int open = 0;
    for (Cursor c : cursors) {
      if (!c.done) {
        open++;
        reading.add(ctx.prefetch().submit(() -> readAhead(c, headers, state, pageNumbers, ready)));
      }
    }
    boolean ranged = cursors.get(0).filter != null;
    try {
      List<RunEvent> events = new ArrayList<>();
      if (announce) {
        events.add(state.event(RunEventType.STARTED, null));
      }
      while (true) {
        Object next = ready.take();
        if (next instanceof RuntimeException failure) {
          throw failure;
        }
        Prepared prepared = (Prepared) next;
        Page page = prepared.page();
        state.pages++;
        state.apply(prepared.observations());
        Cursor cursor = prepared.cursor();
        cursor.url = page.nextLink();
        if (cursor.url == null) {
          cursor.done = true;
          open--;
        }
        boolean complete = open == 0;
        List<Publisher.Marker> markers = List.of();
        if (complete) {
          markers = new ArrayList<>();
          markers.add(
              new Publisher.Marker(
                  ctx.topics().raw(spec.collection()),
                  Observations.runEnd(state, spec.collection().name())));
          if (ctx.withMembers()
              && state.mode == Mode.DELTA
              && spec.collection() == Collection.GROUPS) {
            markers.add(
                new Publisher.Marker(
                    ctx.topics().raw(Collection.GROUP_MEMBERS),
                    Observations.runEnd(state, Collection.GROUP_MEMBERS.name())));
          }
          events.add(state.event(RunEventType.COMPLETED, null));
        }
        String deltaLink = page.deltaLink() != null ? page.deltaLink() : state.previousDeltaLink;
        ctx.publisher()
            .commit(
                new Publisher.Batch(
                    prepared.records(),
                    complete
                        ? state.checkpoint(null, deltaLink, List.of())
                        : ranged
                            ? state.checkpoint(null, deltaLink, checkpointed(cursors))
                            : state.checkpoint(cursor.url, deltaLink, List.of()),
                    markers,
                    events));
        events = new ArrayList<>();
        if (complete) {
          log.info(
              "{}: run {} completed: {} objects, {} removed, {} skipped, {} pages, {} requests, {}"
                  + " throttled",
              spec.collection(),
              state.runId,
              state.records,
              state.removed,
              state.skipped,
              state.pages,
              state.requests,
              state.throttled);
          return state.summary("completed", null);
        }
      }
    } catch (PageFetcher.ResyncRequired resync) {
      throw resync; // not a failure: the run starts again as FULL
    } catch (RuntimeException e) {
      throw RunFailed.record(ctx.publisher(), state, e);
    } finally {
      reading.forEach(r -> r.cancel(true));
    }
  }

  private static List<io.dirpipe.schemas.Cursor> checkpointed(List<Cursor> cursors) {
    List<io.dirpipe.schemas.Cursor> out = new ArrayList<>();
    for (Cursor c : cursors) {
      // a range that has not committed a page yet holds its first page: it starts again there
      out.add(new io.dirpipe.schemas.Cursor(c.filter, c.done ? null : c.url, c.done));
    }
    return out;
  }

  /**
   * Fetches, parses, hashes and serializes a cursor's pages one after the other, following next
   * links, up to {@value #LOOKAHEAD} pages ahead of the commits: reading never waits for a commit
   * to finish. Page numbers are the run's, shared by its cursors.
   */
  private void readAhead(
      Cursor cursor,
      Map<String, String> headers,
      RunState state,
      AtomicInteger pageNumbers,
      BlockingQueue<Object> out) {
    String url = cursor.url;
    String range = cursor.filter == null ? "" : " (" + cursor.filter + ")";
    boolean edges = ctx.withMembers() && ctx.delta() && spec.collection() == Collection.GROUPS;
    // a large group comes on several pages of a delta round, each with a slice of its members:
    // the group itself is observed once per run (after a resume, once more at most)
    Set<String> groupsSeen = edges ? new HashSet<>() : null;
    try {
      while (url != null) {
        int pageNo = pageNumbers.incrementAndGet();
        String what = spec.collection() + " page " + pageNo + range + " of run " + state.runId;
        Page page = ctx.fetcher().fetch(url, reader, headers, spec.predictedCost(), state, what);
        Observations o = Observations.of(state, ctx.topics());
        o.page(spec.collection().name(), pageNo, page, ctx.time().now(), edges, groupsSeen);
        ctx.checkInvalid(what, o.skipped());
        if (o.skipped() > 0) {
          log.warn(
              "{}: {} object(s) without an id skipped (Graph always sends one; counted in the run's"
                  + " summary)",
              what,
              o.skipped());
        }
        out.put(new Prepared(cursor, page, o, o.serialized()));
        url = page.nextLink();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the run ended or failed: stop reading
    } catch (RuntimeException e) {
      try {
        out.put(e); // blocks until the committing thread makes room: a failure is never dropped
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static <T> T join(CompletableFuture<T> f) throws InterruptedException {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof InterruptedException i) {
        throw i;
      }
      throw e;
    }
  }
}
