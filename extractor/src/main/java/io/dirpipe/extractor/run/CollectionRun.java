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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a directory-object collection: FULL pages with {@code $top} and {@code $select}, DELTA
 * from the stored deltaLink (or an initial sync). Each page is committed with its checkpoint; the
 * next page is fetched while the current one is published; a killed run resumes at the committed
 * next link.
 */
public final class CollectionRun {
  private static final Logger log = LoggerFactory.getLogger(CollectionRun.class);

  /** Pages read ahead of the commits. */
  static final int LOOKAHEAD = 3;

  /** What a run needs besides its spec. */
  public record Context(
      String tenantId,
      String graphBase,
      int pageSize,
      boolean delta,
      boolean withMembers,
      PageFetcher fetcher,
      Publisher publisher,
      Topics topics,
      ExecutorService prefetch,
      ProgressBoard board,
      Time time,
      boolean failOnInvalidObject) {

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
    this.reader = new PageReader(spec.collection().entitySchema());
  }

  /** Runs to completion (resuming a committed run when there is one); returns the summary. */
  public RunSummary run(Checkpoint checkpoint) throws InterruptedException {
    RunState state;
    String url;
    boolean resumed = checkpoint != null && checkpoint.getNextLink() != null;
    if (resumed) {
      state = RunState.resumed(checkpoint, ctx.time());
      url = checkpoint.getNextLink();
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
      url =
          !delta
              ? spec.fullUrl(ctx.graphBase(), ctx.pageSize())
              : deltaLink != null
                  ? deltaLink
                  : spec.deltaUrl(
                      ctx.graphBase(), ctx.withMembers() && spec.collection() == Collection.GROUPS);
    }
    try {
      return pages(state, url, !resumed);
    } catch (PageFetcher.ResyncRequired e) {
      log.warn(
          "{}: the delta token is no longer valid ({}); starting a new FULL run",
          spec.collection(),
          e.getMessage());
      RunState full =
          RunState.fresh(ctx.tenantId(), spec.collection().name(), Mode.FULL, null, ctx.time());
      return pages(full, spec.fullUrl(ctx.graphBase(), ctx.pageSize()), true);
    }
  }

  /** A fetched page made ready for commit off the committing thread. */
  private record Prepared(
      Page page, Observations observations, List<Publisher.Serialized> records) {}

  private RunSummary pages(RunState state, String firstUrl, boolean announce)
      throws InterruptedException {
    ctx.board().track(state);
    Map<String, String> headers =
        state.mode == Mode.DELTA
            ? Map.of("Prefer", "odata.maxpagesize=" + ctx.pageSize())
            : Map.of();
    BlockingQueue<Object> ready = new ArrayBlockingQueue<>(LOOKAHEAD);
    Future<?> reading = ctx.prefetch().submit(() -> readAhead(firstUrl, headers, state, ready));
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
        String following = page.nextLink();
        List<Publisher.Marker> markers = List.of();
        if (following == null) {
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
                    prepared.records(), state.checkpoint(following, deltaLink), markers, events));
        events = new ArrayList<>();
        if (following == null) {
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
      reading.cancel(true);
    }
  }

  /**
   * Fetches, parses, hashes and serializes pages one after the other, following next links, up to
   * {@value #LOOKAHEAD} pages ahead of the commits: reading never waits for a commit to finish.
   */
  private void readAhead(
      String firstUrl, Map<String, String> headers, RunState state, BlockingQueue<Object> out) {
    String url = firstUrl;
    int pageNo = state.pages + 1;
    try {
      while (url != null) {
        String what = spec.collection() + " page " + pageNo + " of run " + state.runId;
        Page page = ctx.fetcher().fetch(url, reader, headers, spec.predictedCost(), state, what);
        Observations o = Observations.of(state, ctx.topics());
        o.page(
            spec.collection().name(),
            pageNo,
            page,
            ctx.time().now(),
            ctx.withMembers() && ctx.delta() && spec.collection() == Collection.GROUPS);
        ctx.checkInvalid(what, o.skipped());
        if (o.skipped() > 0) {
          log.warn(
              "{}: {} object(s) without an id skipped (Graph always sends one; counted in the run's"
                  + " summary)",
              what,
              o.skipped());
        }
        out.put(new Prepared(page, o, o.serialized()));
        url = page.nextLink();
        pageNo++;
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
