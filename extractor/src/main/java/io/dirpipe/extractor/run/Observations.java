package io.dirpipe.extractor.run;

import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.RunDigest;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.serde.ContentHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns page items into observations with their digest terms and counts. It touches no run state,
 * so a page can be prepared (hashed and serialized) on the fetching thread while the previous one
 * commits; {@link RunState#apply} then adds the terms in the committing thread.
 */
final class Observations {
  final String tenantId;
  final String runId;
  final Mode mode;
  final List<Observation> list = new ArrayList<>();
  final List<long[]> terms = new ArrayList<>();
  long observed;
  long removed;

  Observations(String tenantId, String runId, Mode mode) {
    this.tenantId = tenantId;
    this.runId = runId;
    this.mode = mode;
  }

  static Observations of(RunState s) {
    return new Observations(s.tenantId, s.runId, s.mode);
  }

  void object(String collection, int page, Instant at, Page.Item item) {
    if (item.id() == null) {
      return; // an object without id cannot be keyed; Graph always sends one
    }
    if (item.removedReason() != null) {
      RemovedReason reason =
          "deleted".equalsIgnoreCase(item.removedReason())
              ? RemovedReason.DELETED
              : RemovedReason.CHANGED;
      list.add(
          new Observation(
              tenantId,
              collection,
              item.id(),
              runId,
              mode,
              page,
              at,
              ObservationKind.REMOVED,
              reason,
              null));
      terms.add(RunDigest.term(item.id(), ContentHash.removed(reason.name())));
      removed++;
    } else {
      list.add(
          new Observation(
              tenantId,
              collection,
              item.id(),
              runId,
              mode,
              page,
              at,
              ObservationKind.OBSERVED,
              null,
              item.entity()));
      terms.add(RunDigest.term(item.id(), ContentHash.of(item.entity())));
      observed++;
    }
  }

  /** A membership edge (the group is the key, so one group's members share a partition). */
  void member(
      int page, Instant at, String groupId, String memberId, String type, boolean isRemoved) {
    Member m = new Member(groupId, memberId, type == null ? "directoryObject" : type);
    String termId = groupId + "/" + memberId;
    if (isRemoved) {
      list.add(
          new Observation(
              tenantId,
              Collection.GROUP_MEMBERS.name(),
              groupId,
              runId,
              mode,
              page,
              at,
              ObservationKind.REMOVED,
              RemovedReason.DELETED,
              m));
      terms.add(RunDigest.term(termId, ContentHash.removed(RemovedReason.DELETED.name())));
      removed++;
    } else {
      list.add(
          new Observation(
              tenantId,
              Collection.GROUP_MEMBERS.name(),
              groupId,
              runId,
              mode,
              page,
              at,
              ObservationKind.OBSERVED,
              null,
              m));
      terms.add(RunDigest.term(termId, ContentHash.of(m)));
      observed++;
    }
  }

  /** Every item of a page, and the members@delta of groups. */
  void page(String collection, int page, Page p) {
    Instant at = Instant.now();
    for (Page.Item item : p.items()) {
      object(collection, page, at, item);
      for (Page.MemberRef m : item.members()) {
        member(page, at, item.id(), m.id(), m.type(), m.removed());
      }
    }
  }

  List<Publisher.Serialized> serialized(Topics topics) {
    return Publisher.serialize(topics, list);
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
}
