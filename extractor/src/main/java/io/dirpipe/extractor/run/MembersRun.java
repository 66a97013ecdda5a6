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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FULL run of group memberships: pages through the groups ({@code $select=id}) and lists each
 * group's members from {@code /groups/{id}/members}. One transaction per group (all its member
 * pages) with a checkpoint naming the groups page and the next group in it, so a killed run resumes
 * at that group.
 */
public final class MembersRun {
  private static final Logger log = LoggerFactory.getLogger(MembersRun.class);
  private static final int MEMBER_COST = 2; // groups/{id}/members 3, minus 1 for $select

  /** Groups whose members are fetched concurrently and committed in one transaction. */
  static final int GROUPS_PER_TRANSACTION = 32;

  private final CollectionRun.Context ctx;
  private final PageReader ids = new PageReader(null);

  public MembersRun(CollectionRun.Context ctx) {
    this.ctx = ctx;
  }

  public RunSummary run(Checkpoint checkpoint) throws InterruptedException {
    RunState state;
    String groupsPage;
    int startIndex;
    if (checkpoint != null && checkpoint.getNextLink() != null) {
      state = RunState.resumed(checkpoint, ctx.time());
      String[] cursor = checkpoint.getNextLink().split(" ", 2);
      startIndex = Integer.parseInt(cursor[0]);
      groupsPage = cursor[1];
      log.info(
          "groupMembers: resuming run {} at group {} of a groups page ({} edges so far)",
          state.runId,
          startIndex,
          state.records);
    } else {
      state =
          RunState.fresh(
              ctx.tenantId(), Collection.GROUP_MEMBERS.name(), Mode.FULL, null, ctx.time());
      groupsPage = ctx.graphBase() + "/groups?$top=999&$select=id";
      startIndex = 0;
    }
    ctx.board().track(state);
    try {
      return members(state, groupsPage, startIndex);
    } catch (RuntimeException e) {
      throw RunFailed.record(ctx.publisher(), state, e);
    }
  }

  private RunSummary members(RunState state, String groupsPage, int startIndex)
      throws InterruptedException {
    List<RunEvent> events = new ArrayList<>();
    if (startIndex == 0 && state.pages == 0) {
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
      List<Page.Item> items = groups.items();
      for (int i = startIndex; i < items.size(); ) {
        int end = Math.min(items.size(), i + GROUPS_PER_TRANSACTION);
        List<CompletableFuture<GroupMembers>> fetches = new ArrayList<>();
        int skipped = 0;
        for (int j = i; j < end; j++) {
          String groupId = items.get(j).id();
          if (groupId == null) {
            skipped++; // no id, no members to ask for (never GET /groups/null/members)
            continue;
          }
          fetches.add(CompletableFuture.supplyAsync(() -> list(state, groupId), ctx.prefetch()));
        }
        Observations observations = Observations.of(state, ctx.topics());
        Instant at = ctx.time().now();
        for (CompletableFuture<GroupMembers> f : fetches) {
          GroupMembers gm = CollectionRun.join(f);
          state.pages += gm.pages();
          for (Page.Item m : gm.members()) {
            if (m.id() != null) {
              observations.member(state.pages, at, gm.groupId(), m.id(), m.odataType(), false);
            } else {
              skipped++;
            }
          }
        }
        ctx.checkInvalid("groupMembers run " + state.runId, skipped);
        state.apply(observations);
        if (skipped > 0) {
          state.skipped += skipped;
          log.warn(
              "groupMembers run {}: {} group(s) or member(s) without an id skipped (counted in the"
                  + " run's summary)",
              state.runId,
              skipped);
        }
        boolean last = end == items.size() && groups.nextLink() == null;
        String cursor =
            last ? null : end < items.size() ? end + " " + groupsPage : "0 " + groups.nextLink();
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
                    observations.serialized(), state.checkpoint(cursor, null), markers, events));
        events = new ArrayList<>();
        i = end;
      }
      if (items.isEmpty()
          && groups.nextLink() == null) { // a tenant without groups still completes its run
        events.add(state.event(RunEventType.COMPLETED, null));
        ctx.publisher()
            .commit(
                new Publisher.Batch(
                    List.of(),
                    state.checkpoint(null, null),
                    List.of(
                        new Publisher.Marker(
                            ctx.topics().raw(Collection.GROUP_MEMBERS),
                            Observations.runEnd(state, Collection.GROUP_MEMBERS.name()))),
                    events));
      }
      groupsPage = groups.nextLink();
      startIndex = 0;
    }
    log.info(
        "groupMembers: run {} completed: {} edges, {} pages, {} requests",
        state.runId,
        state.records,
        state.pages,
        state.requests);
    return state.summary("completed", null);
  }

  /**
   * The members of one group, all its pages; fetched concurrently with other groups of the batch.
   */
  private record GroupMembers(String groupId, List<Page.Item> members, int pages) {}

  private GroupMembers list(RunState state, String groupId) {
    List<Page.Item> members = new ArrayList<>();
    int pages = 0;
    String url = CollectionSpec.membersUrl(ctx.graphBase(), groupId, 999);
    try {
      while (url != null) {
        Page page =
            ctx.fetcher()
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
    return new GroupMembers(groupId, members, pages);
  }
}
