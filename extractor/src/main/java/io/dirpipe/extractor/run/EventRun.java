package io.dirpipe.extractor.run;

import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.EventMark;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an event stream ({@code auditLogs/directoryAudits}, {@code auditLogs/signIns}): every
 * event whose time is at or after the newest one published so far minus an overlap window (Graph
 * makes an event visible minutes after its time, so a later run must look back), read by {@code
 * $filter=<time> ge ...} in pages of {@code $top}, each page committed with its checkpoint as a
 * collection's are. The events of the overlap that earlier runs published are skipped by id, so
 * each event is published once; the first run reads back {@code extract.events.lookback}.
 *
 * <p>The checkpoint carries the stream's watermark (newest event time published), the events of
 * earlier runs within the overlap ({@code seenEvents}, what this run skips) and this run's events
 * within the overlap of its newest one ({@code newEvents}, the next run's {@code seenEvents}): a
 * run killed between pages resumes at its next link with all three. Each list keeps at most {@link
 * #MAX_MARKS} events, the newest: an overlap holding more than that may republish its oldest events
 * (logged; the topic is keyed by event id, so a consumer can drop them).
 */
public final class EventRun {
  private static final Logger log = LoggerFactory.getLogger(EventRun.class);

  /** Events remembered per list in a checkpoint: keeps it well under a Kafka record's 1 MB. */
  static final int MAX_MARKS = 5_000;

  /**
   * @param overlap how far before the watermark each run reads again
   * @param lookback how far back the first run reads
   */
  public record Window(Duration overlap, Duration lookback) {}

  private final CollectionRun.Context ctx;
  private final Collection<?> stream;
  private final Window window;
  private final PageReader reader;
  private final String timeField;

  public EventRun(CollectionRun.Context ctx, Collection<?> stream, Window window) {
    this.ctx = ctx;
    this.stream = stream;
    this.window = window;
    this.reader = new PageReader(stream.entitySchema());
    this.timeField = timeField(stream);
  }

  /**
   * The property a stream is read by: the audit log's activityDateTime, sign-ins' createdDateTime.
   */
  static String timeField(Collection<?> stream) {
    return stream == Collection.DIRECTORY_AUDITS ? "activityDateTime" : "createdDateTime";
  }

  /**
   * The first page of a run reading events at or after {@code since}: {@code $filter} ({@code ge}
   * on the time property, documented for both lists) and {@code $top} (both: up to 1,000).
   */
  static String firstPage(String base, Collection<?> stream, Instant since, int top) {
    String filter = timeField(stream) + " ge " + since;
    return base
        + "/auditLogs/"
        + stream.name()
        + "?$filter="
        + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")
        + "&$top="
        + Math.min(top, 1000);
  }

  public RunSummary run(Checkpoint checkpoint) throws InterruptedException {
    RunState state;
    String url;
    Instant watermark = checkpoint == null ? null : checkpoint.getWatermark();
    List<EventMark> seen = checkpoint == null ? List.of() : checkpoint.getSeenEvents();
    Map<String, Instant> fresh = new LinkedHashMap<>();
    boolean resumed = checkpoint != null && checkpoint.getNextLink() != null;
    if (resumed) {
      state = RunState.resumed(checkpoint, ctx.time());
      url = checkpoint.getNextLink();
      for (EventMark m : checkpoint.getNewEvents()) {
        fresh.put(m.getId(), m.getAt());
        watermark = watermark == null || m.getAt().isAfter(watermark) ? m.getAt() : watermark;
      }
      log.info("{}: resuming run {} after page {}", stream, state.runId, state.pages);
    } else {
      state = RunState.fresh(ctx.tenantId(), stream.name(), Mode.DELTA, null, ctx.time());
      Instant since =
          watermark != null
              ? watermark.minus(window.overlap())
              : ctx.time().now().minus(window.lookback());
      url = firstPage(ctx.graphBase(), stream, since, ctx.pageSize());
      log.info("{}: run {} reads events from {}", stream, state.runId, since);
    }
    ctx.board().track(state);
    Set<String> skip = new HashSet<>();
    seen.forEach(m -> skip.add(m.getId()));
    long duplicates = 0;
    try {
      List<RunEvent> events = new ArrayList<>();
      if (!resumed) {
        events.add(state.event(RunEventType.STARTED, null));
      }
      while (true) {
        int pageNo = state.pages + 1;
        String what = stream + " page " + pageNo + " of run " + state.runId;
        Page page = ctx.fetcher().fetch(url, reader, Map.of(), 1, state, what);
        Observations o = Observations.of(state, ctx.topics());
        Instant now = ctx.time().now();
        for (Page.Item item : page.items()) {
          Instant at = item.entity() == null ? null : time(item.entity());
          if (item.id() != null && skip.contains(item.id())) {
            duplicates++;
            continue;
          }
          if (item.id() != null && at != null) {
            if (fresh.putIfAbsent(item.id(), at) != null) {
              duplicates++; // listed twice within this run
              continue;
            }
            watermark = watermark == null || at.isAfter(watermark) ? at : watermark;
          }
          o.object(stream.name(), pageNo, now, item);
        }
        ctx.checkInvalid(what, o.skipped());
        if (watermark != null) {
          // only the overlap before the newest event matters to the next run
          Instant from = watermark.minus(window.overlap());
          fresh.values().removeIf(at -> at.isBefore(from));
        }
        state.pages++;
        state.apply(o);
        List<EventMark> marks = marks(fresh, watermark);
        url = page.nextLink();
        boolean complete = url == null;
        List<Publisher.Marker> markers = List.of();
        Checkpoint next;
        if (complete) {
          events.add(state.event(RunEventType.COMPLETED, null));
          markers =
              List.of(
                  new Publisher.Marker(
                      ctx.topics().raw(stream), Observations.runEnd(state, stream.name())));
          // the next run skips what this one and earlier ones published within its overlap
          Map<String, Instant> all = new LinkedHashMap<>();
          seen.forEach(m -> all.put(m.getId(), m.getAt()));
          all.putAll(fresh);
          next =
              eventCheckpoint(
                  state.checkpoint(null, null), watermark, marks(all, watermark), List.of());
        } else {
          next =
              eventCheckpoint(
                  state.checkpoint(url, null), checkpointWatermark(checkpoint), seen, marks);
        }
        ctx.publisher().commit(new Publisher.Batch(o.serialized(), next, markers, events));
        events = new ArrayList<>();
        if (complete) {
          log.info(
              "{}: run {} completed: {} events, {} already published skipped, {} pages, watermark {}",
              stream,
              state.runId,
              state.records,
              duplicates,
              state.pages,
              watermark);
          return state.summary("completed", null);
        }
      }
    } catch (RuntimeException e) {
      throw RunFailed.record(ctx.publisher(), state, e);
    }
  }

  /** A run in progress keeps the watermark it started from: the next run's window is still its. */
  private static Instant checkpointWatermark(Checkpoint checkpoint) {
    return checkpoint == null ? null : checkpoint.getWatermark();
  }

  private static Checkpoint eventCheckpoint(
      Checkpoint base, Instant watermark, List<EventMark> seen, List<EventMark> fresh) {
    return Checkpoint.newBuilder(base)
        .setWatermark(watermark)
        .setSeenEvents(seen)
        .setNewEvents(fresh)
        .build();
  }

  /**
   * The events within the overlap before {@code watermark}, newest first, at most {@link
   * #MAX_MARKS}.
   */
  private List<EventMark> marks(Map<String, Instant> events, Instant watermark) {
    if (watermark == null) {
      return List.of();
    }
    Instant from = watermark.minus(window.overlap());
    List<EventMark> marks = new ArrayList<>();
    events.forEach(
        (id, at) -> {
          if (!at.isBefore(from)) {
            marks.add(new EventMark(id, at));
          }
        });
    marks.sort(Comparator.comparing(EventMark::getAt).reversed());
    if (marks.size() > MAX_MARKS) {
      log.warn(
          "{}: {} events within the overlap of {}; the checkpoint keeps the newest {}: the next run"
              + " may publish the older ones again (events are keyed by id)",
          stream,
          marks.size(),
          window.overlap(),
          MAX_MARKS);
      return List.copyOf(marks.subList(0, MAX_MARKS));
    }
    return marks;
  }

  private Instant time(SpecificRecord event) {
    Object at = event.get(event.getSchema().getField(timeField).pos());
    return at instanceof Instant i ? i : null;
  }
}
