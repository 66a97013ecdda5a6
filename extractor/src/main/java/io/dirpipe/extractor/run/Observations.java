package io.dirpipe.extractor.run;

import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.RunDigest;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.entity.OAuth2PermissionGrant;
import io.dirpipe.schemas.entity.UserManager;
import io.dirpipe.schemas.serde.ContentHash;
import io.dirpipe.schemas.serde.ObservationEncoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

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
  private final List<Publisher.Serialized> serialized = new ArrayList<>();
  private final Topics topics;
  private final java.util.Map<String, Topic<ObjectKey, Observation>> raws =
      new java.util.HashMap<>();

  final List<long[]> terms = new ArrayList<>();
  long observed;
  long removed;
  int skipped;

  Observations(String tenantId, String runId, Mode mode, Topics topics) {
    this.tenantId = tenantId;
    this.runId = runId;
    this.mode = mode;
    this.topics = topics;
  }

  static Observations of(RunState s, Topics topics) {
    return new Observations(s.tenantId, s.runId, s.mode, topics);
  }

  void object(String collection, int page, Instant at, Page.Item item) {
    if (item.id() == null) {
      skipped++; // an object without id cannot be keyed; Graph always sends one
      return;
    }
    if (item.entity() instanceof OAuth2PermissionGrant g
        && collection.equals(Collection.DELEGATED_PERMISSIONS.name())) {
      // a grant read for delegatedPermissions: an edge per scope
      for (Edge e : delegatedPermissions(collection, g)) {
        edge(page, at, e);
      }
      return;
    }
    if (item.entity() instanceof UserManager u) {
      // a user with its manager is an edge; a user without one is none
      if (u.getManager() != null && u.getManager().getId() != null) {
        edge(
            page,
            at,
            new Edge(
                collection, u.getId(), u.getManager().getId(), "directoryObject", Map.of(), ""));
      }
      return;
    }
    RemovedReason reason =
        item.removedReason() == null
            ? null
            : "deleted".equalsIgnoreCase(item.removedReason())
                ? RemovedReason.DELETED
                : RemovedReason.CHANGED;
    add(collection, item.id(), item.id(), page, at, reason, reason == null ? item.entity() : null);
  }

  /**
   * The delegated permissions of a grant: from the client to the resource, one per scope, qualified
   * by {@code <principalId or AllPrincipals>/<scope>}.
   */
  static List<Edge> delegatedPermissions(String collection, OAuth2PermissionGrant g) {
    List<Edge> edges = new ArrayList<>();
    if (g.getClientId() == null || g.getResourceId() == null || g.getScope() == null) {
      return edges;
    }
    String forWhom = g.getPrincipalId() != null ? g.getPrincipalId() : "AllPrincipals";
    for (String scope : g.getScope().trim().split("\\s+")) {
      if (!scope.isEmpty()) {
        edges.add(
            new Edge(
                collection,
                g.getClientId(),
                g.getResourceId(),
                "servicePrincipal",
                Map.of(
                    "scope",
                    scope,
                    "consentType",
                    String.valueOf(g.getConsentType()),
                    "principalId",
                    g.getPrincipalId() == null ? "" : g.getPrincipalId(),
                    "grantId",
                    g.getId()),
                forWhom + "/" + scope));
      }
    }
    return edges;
  }

  /** The member id of a membership observation that stands for every edge of its group. */
  static final String ALL_MEMBERS = "";

  /** A membership edge (the group is the key, so one group's members share a partition). */
  void member(
      int page, Instant at, String groupId, String memberId, String type, boolean isRemoved) {
    Member m = new Member(groupId, memberId, type == null ? "directoryObject" : type);
    add(
        Collection.GROUP_MEMBERS.name(),
        groupId,
        groupId + "/" + memberId,
        page,
        at,
        isRemoved ? RemovedReason.DELETED : null,
        m);
  }

  /**
   * An edge of an edge collection: keyed by the object whose relationship was read, so one object's
   * edges share a partition.
   */
  /**
   * An edge with what it carries (an app role assignment's role): keyed by its {@code from} object;
   * its digest term names both ends and the qualifier, so two roles of one principal are two terms.
   */
  void edge(int page, Instant at, Edge e) {
    add(e.getKind(), e.getFromId(), RunDigest.termId(e), page, at, null, e);
  }

  /**
   * Adds one observation: OBSERVED when {@code reason} is null, else REMOVED (a removed member
   * keeps its edge as payload). An observed payload is encoded once, for its content hash and its
   * value.
   */
  private void add(
      String collection,
      String objectId,
      String termId,
      int page,
      Instant at,
      RemovedReason reason,
      SpecificRecord payload) {
    ObservationKind kind = reason == null ? ObservationKind.OBSERVED : ObservationKind.REMOVED;
    Observation o =
        new Observation(
            tenantId,
            collection,
            objectId,
            runId,
            mode,
            page,
            at,
            kind,
            reason,
            payload,
            null,
            false);
    list.add(o);
    Topic<ObjectKey, Observation> raw =
        raws.computeIfAbsent(collection, c -> topics.raw(Collection.of(c)));
    byte[] key =
        raw.keySerde().serializer().serialize(raw.name(), new ObjectKey(tenantId, objectId));
    byte[] value;
    if (reason == null) {
      ObservationEncoder.Encoded encoded = ObservationEncoder.payload(payload);
      value = ObservationEncoder.encode(o, payload, encoded);
      terms.add(RunDigest.term(termId, encoded.contentHash()));
      observed++;
    } else {
      value = raw.valueSerde().serializer().serialize(raw.name(), o);
      terms.add(RunDigest.term(termId, ContentHash.removed(reason.name())));
      removed++;
    }
    serialized.add(new Publisher.Serialized(raw.name(), key, value));
  }

  /** Objects skipped because they had no id (their members@delta with them). */
  int skipped() {
    return skipped;
  }

  /**
   * The observations of one page: every item, and the members@delta of groups.
   *
   * @param edges a groups delta that carries {@code members@delta}: a removed group also gets a
   *     REMOVED membership observation with an empty member id, which removes all its edges (Graph
   *     lists no members for a group it reports removed)
   * @param seen objects observed earlier in the run, or null: an object seen again (a large group
   *     on a later page, with a further slice of its members) adds only its members
   */
  void page(String collection, int page, Page p, Instant at, boolean edges, Set<String> seen) {
    for (Page.Item item : p.items()) {
      boolean again = seen != null && item.id() != null && !seen.add(item.id());
      if (!again) {
        object(collection, page, at, item);
      }
      if (item.id() == null) {
        continue;
      }
      if (edges && item.removedReason() != null) {
        member(page, at, item.id(), ALL_MEMBERS, "group", true);
      }
      for (Page.MemberRef m : item.members()) {
        member(page, at, item.id(), m.id(), m.type(), m.removed());
      }
    }
  }

  /** The observations serialized for their raw topics, in order. */
  List<Publisher.Serialized> serialized() {
    return serialized;
  }

  /**
   * The RUN_END marker of a run; a snapshot when the run read the whole collection: a FULL run, or
   * the initial round of a delta query (no delta link to start from).
   */
  static Observation runEnd(RunState s, String collection) {
    return new Observation(
        s.tenantId,
        collection,
        null,
        s.runId,
        s.mode,
        s.pages,
        s.time.now(),
        ObservationKind.RUN_END,
        null,
        null,
        s.startedAt,
        s.mode == Mode.FULL || s.previousDeltaLink == null);
  }
}
