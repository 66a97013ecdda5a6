package io.dirpipe.extractor.run;

import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FULL run of group memberships: pages through the groups ({@code $select=id}) and lists each
 * group's members from {@code /groups/{id}/members}, {@value #IN_FLIGHT} groups at a time under the
 * RU bucket (in JSON batches of 20 unless {@code extract.batch=false}). A group is committed as
 * soon as all its member pages are read, with the groups that finished beside it, so one group of
 * 50,000 members never holds up the small ones behind it. The checkpoint names the groups page and
 * which of its groups are done, so a killed run resumes with the others.
 */
public final class MembersRun {
  private static final Logger log = LoggerFactory.getLogger(MembersRun.class);
  private static final int MEMBER_COST = 2; // groups/{id}/members 3, minus 1 for $select

  /**
   * Groups whose member listings run at once: enough to keep the large-tenant quota busy (800 RU/s
   * at 2 RU per call is 400 calls per second) when each answer, or batch of 20, takes Graph a few
   * hundred milliseconds.
   */
  public static final int IN_FLIGHT = 160;

  /** A transaction holds the groups finished since the last one, up to these many. */
  static final int GROUPS_PER_TRANSACTION = 32;

  static final int EDGES_PER_TRANSACTION = 20_000;

  private final CollectionRun.Context ctx;
  private final PageReader ids = new PageReader(null);

  public MembersRun(CollectionRun.Context ctx) {
    this.ctx = ctx;
  }

  public RunSummary run(Checkpoint checkpoint) throws InterruptedException {
    RunState state;
    String groupsPage;
    BitSet done;
    if (checkpoint != null && checkpoint.getNextLink() != null) {
      state = RunState.resumed(checkpoint, ctx.time());
      String[] cursor = checkpoint.getNextLink().split(" ", 2);
      done = done(cursor[0]);
      groupsPage = cursor[1];
      log.info(
          "groupMembers: resuming run {} with {} groups of a groups page done ({} edges so far)",
          state.runId,
          done.cardinality(),
          state.records);
    } else {
      state =
          RunState.fresh(
              ctx.tenantId(), Collection.GROUP_MEMBERS.name(), Mode.FULL, null, ctx.time());
      groupsPage = ctx.graphBase() + "/groups?$top=999&$select=id";
      done = new BitSet();
    }
    ctx.board().track(state);
    try {
      return members(state, groupsPage, done);
    } catch (RuntimeException e) {
      throw RunFailed.record(ctx.publisher(), state, e);
    }
  }

  /**
   * The groups of a groups page that are committed: {@code d:<hex>} (a bit per group), or the index
   * before which all are (checkpoints written before groups were committed out of order).
   */
  static BitSet done(String cursor) {
    if (cursor.startsWith("d:")) {
      return BitSet.valueOf(HexFormat.of().parseHex(cursor.substring(2)));
    }
    BitSet done = new BitSet();
    done.set(0, Integer.parseInt(cursor));
    return done;
  }

  static String cursor(BitSet done, String groupsPage) {
    return "d:" + HexFormat.of().formatHex(done.toByteArray()) + " " + groupsPage;
  }

  /** The members of one group, all its pages. */
  private record GroupMembers(int index, String groupId, List<Page.Item> members, int pages) {}

  private RunSummary members(RunState state, String groupsPage, BitSet done)
      throws InterruptedException {
    List<RunEvent> events = new ArrayList<>();
    if (done.isEmpty() && state.pages == 0) {
      events.add(state.event(RunEventType.STARTED, null));
    }
    while (groupsPage != null) {
      Page groups =
          ctx.fetcher()
              .fetch(
                  groupsPage,
                  ids,
                  Map.of(),
                  1,
                  state,
                  "groups page for groupMembers run " + state.runId);
      boolean lastPage = groups.nextLink() == null;
      events = page(state, groupsPage, groups, done, lastPage, events);
      groupsPage = groups.nextLink();
      done = new BitSet();
    }
    log.info(
        "groupMembers: run {} completed: {} edges, {} pages, {} requests",
        state.runId,
        state.records,
        state.pages,
        state.requests);
    return state.summary("completed", null);
  }

  /** Reads and commits the members of every group of one groups page that is not done yet. */
  private List<RunEvent> page(
      RunState state,
      String groupsPage,
      Page groups,
      BitSet done,
      boolean lastPage,
      List<RunEvent> events)
      throws InterruptedException {
    List<Page.Item> items = groups.items();
    ExecutorCompletionService<GroupMembers> finished =
        new ExecutorCompletionService<>(ctx.prefetch());
    List<Future<GroupMembers>> running = new ArrayList<>();
    int next = 0;
    int outstanding = 0;
    int skipped = 0;
    Batch batch = new Batch(state);
    try {
      while (true) {
        // keep IN_FLIGHT listings going; groups without an id are never asked for (no
        // GET /groups/null/members): counted, and done
        while (outstanding < IN_FLIGHT && next < items.size()) {
          int index = next++;
          if (done.get(index)) {
            continue;
          }
          String groupId = items.get(index).id();
          if (groupId == null) {
            skipped++;
            done.set(index);
            continue;
          }
          running.add(finished.submit(() -> list(state, index, groupId)));
          outstanding++;
        }
        if (outstanding == 0) {
          break;
        }
        GroupMembers gm = take(finished);
        outstanding--;
        done.set(gm.index());
        skipped += batch.add(gm);
        boolean pageDone = outstanding == 0 && next >= items.size();
        if (pageDone || batch.full()) {
          batch.skipped(skipped);
          skipped = 0;
          events = commit(state, batch, pageDone, lastPage, groupsPage, groups, done, events);
          batch = new Batch(state);
        }
      }
      if (skipped > 0 || !batch.isEmpty() || running.isEmpty()) {
        // a page whose groups all had no id, or were done before a resume, or no groups at all
        batch.skipped(skipped);
        events = commit(state, batch, true, lastPage, groupsPage, groups, done, events);
      }
      return events;
    } finally {
      running.forEach(f -> f.cancel(true));
    }
  }

  /** Observations of the groups finished since the last commit. */
  private final class Batch {
    final Observations observations;
    final RunState state;
    int groups;
    int edges;
    int skipped;

    Batch(RunState state) {
      this.state = state;
      this.observations = Observations.of(state, ctx.topics());
    }

    /** Adds a group's edges; returns the members without an id, which are skipped. */
    int add(GroupMembers gm) {
      java.time.Instant at = ctx.time().now();
      state.pages += gm.pages();
      int noId = 0;
      for (Page.Item m : gm.members()) {
        if (m.id() != null) {
          observations.member(state.pages, at, gm.groupId(), m.id(), m.odataType(), false);
          edges++;
        } else {
          noId++;
        }
      }
      groups++;
      return noId;
    }

    void skipped(int n) {
      skipped += n;
    }

    boolean full() {
      return groups >= GROUPS_PER_TRANSACTION || edges >= EDGES_PER_TRANSACTION;
    }

    boolean isEmpty() {
      return groups == 0;
    }
  }

  private List<RunEvent> commit(
      RunState state,
      Batch batch,
      boolean pageDone,
      boolean lastPage,
      String groupsPage,
      Page groups,
      BitSet done,
      List<RunEvent> events) {
    ctx.checkInvalid("groupMembers run " + state.runId, batch.skipped);
    state.apply(batch.observations);
    if (batch.skipped > 0) {
      state.skipped += batch.skipped;
      log.warn(
          "groupMembers run {}: {} group(s) or member(s) without an id skipped (counted in the"
              + " run's summary)",
          state.runId,
          batch.skipped);
    }
    boolean last = pageDone && lastPage;
    String cursor = last ? null : pageDone ? "0 " + groups.nextLink() : cursor(done, groupsPage);
    List<Publisher.Marker> markers = List.of();
    if (last) {
      markers =
          List.of(
              new Publisher.Marker(
                  ctx.topics().raw(Collection.GROUP_MEMBERS),
                  Observations.runEnd(state, Collection.GROUP_MEMBERS.name())));
      events.add(state.event(RunEventType.COMPLETED, null));
    }
    ctx.publisher()
        .commit(
            new Publisher.Batch(
                batch.observations.serialized(), state.checkpoint(cursor, null), markers, events));
    return new ArrayList<>();
  }

  private static GroupMembers take(ExecutorCompletionService<GroupMembers> finished)
      throws InterruptedException {
    try {
      return finished.take().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompletionException c && c.getCause() != null) {
        cause = c.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof InterruptedException i) {
        throw i;
      }
      throw new IllegalStateException(cause);
    }
  }

  private GroupMembers list(RunState state, int index, String groupId) throws InterruptedException {
    List<Page.Item> members = new ArrayList<>();
    int pages = 0;
    String url = CollectionSpec.membersUrl(ctx.graphBase(), groupId, 999);
    while (url != null) {
      Page page =
          ctx.listings()
              .fetch(
                  url,
                  ids,
                  Map.of(),
                  MEMBER_COST,
                  state,
                  "members of group " + groupId + " in run " + state.runId);
      pages++;
      members.addAll(page.items());
      url = page.nextLink();
    }
    return new GroupMembers(index, groupId, members, pages);
  }
}
