package io.dirpipe.extractor.run;

import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.extractor.graph.Relation;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.entity.Edge;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FULL run of an edge collection ({@link Relation}): pages through the parent objects ({@code
 * $select=id}) and lists each one's related objects (a group's members from {@code
 * /groups/{id}/members}, an application's owners, ...), {@value #IN_FLIGHT} parents at a time under
 * the RU bucket (in JSON batches of 20 unless {@code extract.batch=false}). A parent is committed
 * as soon as all its pages are read, with the parents that finished beside it, so one group of
 * 50,000 members never holds up the small ones behind it: listings go on into the next parents
 * pages (up to {@value #WINDOW} open at once) while a large group is still being read. The
 * checkpoint names the first open parents page and, for each open page, which of its parents are
 * done, so a killed run resumes with the others. The names below say groups and members, the
 * largest case.
 */
public final class RelationRun {
  private static final Logger log = LoggerFactory.getLogger(RelationRun.class);

  /**
   * Groups whose member listings run at once: enough to keep the large-tenant quota busy (800 RU/s
   * at 2 RU per call is 400 calls per second) when a batch of 20 takes as long as its slowest
   * listing, most of a second (the medium tenant bench: 160 in flight left the listings well below
   * the quota's pace, 320 close to it).
   */
  public static final int IN_FLIGHT = 320;

  /**
   * Groups pages whose listings may be under way at once: a group of 60,000 members is 61
   * sequential pages (about 17 s on Graph), in which time the quota lists some 7,000 small groups.
   */
  static final int WINDOW = 16;

  /** A transaction holds the groups finished since the last one, up to these many. */
  static final int GROUPS_PER_TRANSACTION = 32;

  static final int EDGES_PER_TRANSACTION = 20_000;

  private final CollectionRun.Context ctx;
  private final Relation relation;
  private final String name;
  private final PageReader ids;

  public RelationRun(CollectionRun.Context ctx, Relation relation) {
    this.ctx = ctx;
    this.relation = relation;
    this.name = relation.collection().name();
    this.ids = new PageReader(relation.itemSchema());
  }

  public RunSummary run(Checkpoint checkpoint) throws InterruptedException {
    RunState state;
    String firstPage;
    List<BitSet> done;
    if (checkpoint != null && checkpoint.getNextLink() != null) {
      state = RunState.resumed(checkpoint, ctx.time());
      String[] cursor = checkpoint.getNextLink().split(" ", 2);
      done = done(cursor[0]);
      firstPage = cursor[1];
      log.info(
          "{}: resuming run {} with {} {} of {} {} page(s) done ({} edges so far)",
          name,
          state.runId,
          done.stream().mapToInt(BitSet::cardinality).sum(),
          relation.parent(),
          done.size(),
          relation.parent(),
          state.records);
    } else {
      state = RunState.fresh(ctx.tenantId(), name, Mode.FULL, null, ctx.time());
      firstPage = relation.parentsUrl(ctx.graphBase(), ctx.pageSize());
      done = List.of();
    }
    ctx.board().track(state);
    try {
      return new Listing(state, firstPage, done).run();
    } catch (RuntimeException e) {
      throw RunFailed.record(ctx.publisher(), state, e);
    }
  }

  /**
   * The groups of each open groups page that are committed, comma-separated: {@code d:<hex>} (a bit
   * per group), or the index before which all are (checkpoints written before groups were committed
   * out of order).
   */
  static List<BitSet> done(String cursor) {
    List<BitSet> pages = new ArrayList<>();
    for (String page : cursor.split(",", -1)) {
      if (page.startsWith("d:")) {
        pages.add(BitSet.valueOf(HexFormat.of().parseHex(page.substring(2))));
      } else {
        BitSet done = new BitSet();
        done.set(0, Integer.parseInt(page));
        pages.add(done);
      }
    }
    return pages;
  }

  static String cursor(List<BitSet> done, String firstPage) {
    StringBuilder b = new StringBuilder();
    for (BitSet page : done) {
      b.append(b.isEmpty() ? "d:" : ",d:").append(HexFormat.of().formatHex(page.toByteArray()));
    }
    return (b.isEmpty() ? "d:" : b) + " " + firstPage;
  }

  /** The members of one group, all its pages. */
  private record GroupMembers(
      OpenPage page, int index, String groupId, List<Page.Item> members, int pages) {}

  /** A groups page whose member listings are under way. */
  private static final class OpenPage {
    final String link;
    final Page page;
    final BitSet done;
    int next;
    int outstanding;

    OpenPage(String link, Page page, BitSet done) {
      this.link = link;
      this.page = page;
      this.done = done;
    }

    boolean allAsked() {
      return next >= page.items().size();
    }

    boolean finished() {
      return allAsked() && outstanding == 0;
    }
  }

  /** One run's listings over a window of open groups pages. */
  private final class Listing {
    final RunState state;
    final ArrayDeque<OpenPage> window = new ArrayDeque<>();
    final ExecutorCompletionService<GroupMembers> finished =
        new ExecutorCompletionService<>(ctx.prefetch());
    final Set<Future<GroupMembers>> running = new HashSet<>();

    /** The groups page after the window's last, null after the last page. */
    String nextPage;

    /** Done groups of pages of a resumed run not fetched again yet. */
    final ArrayDeque<BitSet> resumed;

    int skipped;
    List<RunEvent> events = new ArrayList<>();

    Listing(RunState state, String firstPage, List<BitSet> done) {
      this.state = state;
      this.nextPage = firstPage;
      this.resumed = new ArrayDeque<>(done);
      if (done.isEmpty() && state.pages == 0) {
        events.add(state.event(RunEventType.STARTED, null));
      }
    }

    RunSummary run() throws InterruptedException {
      Batch batch = new Batch(state);
      try {
        while (true) {
          ask();
          if (!running.isEmpty()) {
            Future<GroupMembers> f = finished.take();
            running.remove(f);
            GroupMembers gm = get(f);
            gm.page().outstanding--;
            gm.page().done.set(gm.index());
            skipped += batch.add(gm);
          }
          boolean slid = false;
          while (!window.isEmpty() && window.peekFirst().finished()) {
            window.pollFirst();
            slid = true;
          }
          boolean end = window.isEmpty() && nextPage == null;
          if (slid || end || batch.full()) {
            batch.skipped(skipped);
            skipped = 0;
            commit(batch, end);
            batch = new Batch(state);
          }
          if (end) {
            break;
          }
        }
      } finally {
        running.forEach(f -> f.cancel(true));
      }
      log.info(
          "{}: run {} completed: {} edges, {} pages, {} requests",
          name,
          state.runId,
          state.records,
          state.pages,
          state.requests);
      return state.summary("completed", null);
    }

    /**
     * Keeps {@link RelationRun#IN_FLIGHT} listings going, opening the next groups page when every
     * group of the open ones is asked for. Groups without an id are never asked for (no {@code GET
     * /groups/null/members}): counted, and done.
     */
    private void ask() throws InterruptedException {
      while (running.size() < IN_FLIGHT) {
        OpenPage open = null;
        for (OpenPage p : window) {
          if (!p.allAsked()) {
            open = p;
            break;
          }
        }
        if (open == null) {
          if (nextPage == null || window.size() >= WINDOW) {
            return;
          }
          open = fetch();
        }
        int index = open.next++;
        if (open.done.get(index)) {
          continue;
        }
        String groupId = open.page.items().get(index).id();
        if (groupId == null) {
          skipped++;
          open.done.set(index);
          continue;
        }
        OpenPage page = open;
        running.add(finished.submit(() -> list(page, index, groupId)));
        open.outstanding++;
      }
    }

    private OpenPage fetch() throws InterruptedException {
      Page groups =
          ctx.fetcher()
              .fetch(
                  nextPage,
                  ids,
                  Map.of(),
                  1,
                  state,
                  relation.parent() + " page for " + name + " run " + state.runId);
      BitSet done = resumed.isEmpty() ? new BitSet() : resumed.poll();
      OpenPage page = new OpenPage(nextPage, groups, done);
      window.addLast(page);
      nextPage = groups.nextLink();
      return page;
    }

    private GroupMembers list(OpenPage page, int index, String groupId)
        throws InterruptedException {
      List<Page.Item> members = new ArrayList<>();
      int pages = 0;
      String url = relation.listUrl(ctx.graphBase(), groupId, ctx.pageSize());
      while (url != null) {
        Page p =
            ctx.listings()
                .fetch(
                    url,
                    ids,
                    Map.of(),
                    relation.cost(),
                    state,
                    relation.describe(groupId) + " in run " + state.runId);
        pages++;
        members.addAll(p.items());
        url = p.nextLink();
      }
      return new GroupMembers(page, index, groupId, members, pages);
    }

    private void commit(Batch batch, boolean end) {
      ctx.checkInvalid(name + " run " + state.runId, batch.skipped);
      state.apply(batch.observations);
      if (batch.skipped > 0) {
        state.skipped += batch.skipped;
        log.warn(
            "{} run {}: {} object(s) without an id skipped (counted in the run's summary)",
            name,
            state.runId,
            batch.skipped);
      }
      String cursor = null;
      List<Publisher.Marker> markers = List.of();
      if (end) {
        markers =
            List.of(
                new Publisher.Marker(
                    ctx.topics().raw(Collection.of(name)), Observations.runEnd(state, name)));
        events.add(state.event(RunEventType.COMPLETED, null));
      } else if (window.isEmpty()) {
        cursor = cursor(List.of(), nextPage);
      } else {
        List<BitSet> done = new ArrayList<>();
        window.forEach(p -> done.add(p.done));
        cursor = cursor(done, window.peekFirst().link);
      }
      ctx.publisher()
          .commit(
              new Publisher.Batch(
                  batch.observations.serialized(),
                  state.checkpoint(cursor, null),
                  markers,
                  events));
      events = new ArrayList<>();
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
        boolean members = relation.collection() == Collection.GROUP_MEMBERS;
        Edge e = members ? null : relation.edge(gm.groupId(), m);
        if (members && m.id() != null) {
          observations.member(state.pages, at, gm.groupId(), m.id(), m.odataType(), false);
          edges++;
        } else if (e != null) {
          observations.edge(state.pages, at, e);
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

  private static GroupMembers get(Future<GroupMembers> finished) throws InterruptedException {
    try {
      return finished.get();
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
}
