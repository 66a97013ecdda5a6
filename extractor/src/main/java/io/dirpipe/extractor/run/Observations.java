package io.dirpipe.extractor.run;

import io.dirpipe.extractor.graph.Page;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.serde.ContentHash;
import java.time.Instant;
import java.util.List;

/** Turns page items into observations and adds each to the run's digest and counters. */
final class Observations {
  private Observations() {}

  static void object(RunState s, int page, Instant at, Page.Item item, List<Observation> out) {
    if (item.id() == null) {
      return; // an object without id cannot be keyed; Graph always sends one
    }
    if (item.removedReason() != null) {
      RemovedReason reason = reason(item.removedReason());
      out.add(
          new Observation(
              s.tenantId,
              s.collection,
              item.id(),
              s.runId,
              s.mode,
              page,
              at,
              ObservationKind.REMOVED,
              reason,
              null));
      s.digest.add(item.id(), ContentHash.removed(reason.name()));
      s.removed++;
    } else {
      out.add(
          new Observation(
              s.tenantId,
              s.collection,
              item.id(),
              s.runId,
              s.mode,
              page,
              at,
              ObservationKind.OBSERVED,
              null,
              item.entity()));
      s.digest.add(item.id(), ContentHash.of(item.entity()));
      s.records++;
    }
  }

  /** A membership edge (the group is the key, so one group's members share a partition). */
  static void member(
      RunState s,
      int page,
      Instant at,
      String groupId,
      String memberId,
      String type,
      boolean removed,
      List<Observation> out) {
    Member m = new Member(groupId, memberId, type == null ? "directoryObject" : type);
    String termId = groupId + "/" + memberId;
    if (removed) {
      out.add(
          new Observation(
              s.tenantId,
              Collection.GROUP_MEMBERS.name(),
              groupId,
              s.runId,
              s.mode,
              page,
              at,
              ObservationKind.REMOVED,
              RemovedReason.DELETED,
              m));
      s.digest.add(termId, ContentHash.removed(RemovedReason.DELETED.name()));
      s.removed++;
    } else {
      out.add(
          new Observation(
              s.tenantId,
              Collection.GROUP_MEMBERS.name(),
              groupId,
              s.runId,
              s.mode,
              page,
              at,
              ObservationKind.OBSERVED,
              null,
              m));
      s.digest.add(termId, ContentHash.of(m));
      s.records++;
    }
  }

  static Observation runEnd(RunState s, String collection) {
    return new Observation(
        s.tenantId,
        collection,
        null,
        s.runId,
        s.mode,
        s.pages,
        Instant.now(),
        ObservationKind.RUN_END,
        null,
        null);
  }

  private static RemovedReason reason(String graphReason) {
    return "deleted".equalsIgnoreCase(graphReason) ? RemovedReason.DELETED : RemovedReason.CHANGED;
  }
}
