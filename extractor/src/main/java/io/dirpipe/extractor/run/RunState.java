package io.dirpipe.extractor.run;

import io.dirpipe.core.Time;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.Cursor;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.RunDigest;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The counters of a run in progress: restored from a checkpoint on resume, written into each one.
 */
final class RunState {
  final String tenantId;
  final String collection;
  final String runId;
  final Mode mode;
  final Instant startedAt;
  final RunDigest digest;
  final String previousDeltaLink;
  final Time time;
  volatile int pages;
  volatile long records;
  volatile long removed;
  volatile long skipped;
  long requests;
  long throttled;
  long resourceUnits;
  int cursors = 1;

  private RunState(
      String tenantId,
      String collection,
      String runId,
      Mode mode,
      Instant startedAt,
      RunDigest digest,
      String previousDeltaLink,
      Time time) {
    this.time = time;
    this.tenantId = tenantId;
    this.collection = collection;
    this.runId = runId;
    org.slf4j.MDC.put(LogContext.RUN_ID, runId); // the run's thread logs under its id
    this.mode = mode;
    this.startedAt = startedAt;
    this.digest = digest;
    this.previousDeltaLink = previousDeltaLink;
  }

  static RunState fresh(
      String tenantId, String collection, Mode mode, String previousDeltaLink, Time time) {
    Instant now = time.now();
    String id =
        collection
            + "-"
            + mode.name().toLowerCase()
            + "-"
            + now.toString().replaceAll("[-:.]", "").replace("T", "-").substring(0, 15)
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    return new RunState(
        tenantId, collection, id, mode, now, new RunDigest(), previousDeltaLink, time);
  }

  static RunState resumed(Checkpoint cp, Time time) {
    RunState s =
        new RunState(
            cp.getTenantId(),
            cp.getCollection(),
            cp.getRunId(),
            cp.getMode(),
            cp.getStartedAt(),
            RunDigest.of(cp.getDigest()),
            cp.getDeltaLink(),
            time);
    s.pages = cp.getPages();
    s.records = cp.getRecords();
    s.removed = cp.getRemoved();
    return s;
  }

  /** Adds a prepared page's digest terms and counts. */
  void apply(Observations o) {
    for (long[] t : o.terms) {
      digest.add(t[0], t[1]);
    }
    records += o.observed;
    removed += o.removed;
    skipped += o.skipped;
  }

  Checkpoint checkpoint(String nextLink, String deltaLink) {
    return checkpoint(nextLink, deltaLink, List.of());
  }

  /** The checkpoint of a run on several cursors: where each range stands. */
  Checkpoint checkpoint(String nextLink, String deltaLink, List<Cursor> cursors) {
    return new Checkpoint(
        tenantId,
        collection,
        runId,
        mode,
        nextLink,
        deltaLink,
        cursors,
        pages,
        records,
        removed,
        digest.hex(),
        startedAt,
        time.now(),
        null,
        List.of(),
        List.of());
  }

  RunEvent event(RunEventType type, String error) {
    return new RunEvent(
        type,
        runId,
        tenantId,
        collection,
        mode,
        time.now(),
        startedAt,
        records,
        removed,
        pages,
        requests,
        throttled,
        resourceUnits,
        type == RunEventType.COMPLETED ? digest.hex() : null,
        error);
  }

  Progress progress() {
    return new Progress(
        collection,
        records,
        removed,
        pages,
        throttled,
        (time.now().toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
  }

  RunSummary summary(String status, String error) {
    double seconds = (time.now().toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    return new RunSummary(
        tenantId,
        collection,
        runId,
        mode.name(),
        records,
        removed,
        skipped,
        pages,
        requests,
        throttled,
        resourceUnits,
        seconds,
        digest.hex(),
        status,
        error,
        cursors);
  }
}
