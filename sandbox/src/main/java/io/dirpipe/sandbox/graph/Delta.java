package io.dirpipe.sandbox.graph;

import io.dirpipe.sandbox.http.Faults;
import io.dirpipe.sandbox.tenant.ChangeLog;
import io.dirpipe.sandbox.tenant.GraphPermissions;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.sandbox.tenant.Tenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delta queries (FACTS.md §6). A first request (no token) pages through every object and ends with
 * a deltaLink holding the version it started at; a deltaLink returns each object changed since, in
 * its current state, or {@code {"id", "@removed": {"reason"}}} when it is gone. Groups selected
 * with {@code members} carry {@code members@delta}; a large group appears on several pages with
 * slices of it.
 */
final class Delta {
  static final int DEFAULT_PAGE = 200;
  static final int MEMBER_SLICE = 1_000;

  /**
   * Member references after which a page takes no more groups (UNVERIFIED: Graph documents no
   * figure; without one a page of 999 groups of hundreds of members each would be tens of MB).
   */
  static final int MEMBERS_PER_PAGE = 5_000;

  private final Tenant tenant;
  private final Faults faults;

  Delta(Tenant tenant, Faults faults) {
    this.tenant = tenant;
    this.faults = faults;
  }

  /** One object to emit: its position and, for groups, its member changes (null = all members). */
  private record Item(int position, List<ChangeLog.Entry> memberChanges) {}

  Reply delta(Call call, Kind kind) {
    call.require(GraphPermissions.toRead(kind));
    call.payRead(Collections.baseCost(kind));
    Set<String> known = new HashSet<>(tenant.properties(kind));
    if (kind == Kind.GROUP) {
      known.add("members");
    }
    Query q = Query.parse(call.ex, known, kind.odataType(), kind, true);
    String skip = call.ex.query("$skiptoken");
    String deltaToken = call.ex.query("$deltatoken");
    Map<String, String> state;
    if (skip != null) {
      state = Cursor.decode(skip, "skip token");
    } else if (deltaToken != null) {
      state = resume(call, deltaToken);
      if (state == null) { // $deltatoken=latest: no data, a deltaLink at the current version
        return Reply.json(
            200,
            new PageWriter(context(call, kind), null)
                .finish(null, deltaLink(call, kind, tenant.changeLog().current(), select(q))));
      }
    } else {
      state =
          new LinkedHashMap<>(
              Map.of(
                  "mode",
                  "initial",
                  "to",
                  Long.toString(tenant.changeLog().current()),
                  "i",
                  "0",
                  "m",
                  "0"));
      state.put("s", select(q));
    }
    return page(call, kind, state, q);
  }

  private Map<String, String> resume(Call call, String token) {
    if (token.equals("latest")) {
      return null;
    }
    Map<String, String> link = Cursor.decode(token, "delta token");
    if (faults.takeResync()) {
      GraphError gone =
          new GraphError(
              410,
              "resyncRequired",
              "Resync required: replace any local state with a full resynchronisation.");
      gone.location = call.ex.baseUrl() + call.ex.path() + "?$deltatoken=";
      throw gone;
    }
    long issued = Cursor.longField(link, "t", "delta token");
    // a token is expired once it is the TTL old (a TTL of 0 expires every token at once)
    if (tenant.clock().millis() - issued >= faults.deltaTokenTtlSeconds * 1000) {
      throw new GraphError(
          400,
          "syncStateNotFound",
          "The sync state could not be found: the delta token expired. Start a new full synchronisation.");
    }
    Map<String, String> state = new LinkedHashMap<>();
    state.put("mode", "changes");
    state.put("from", link.get("v"));
    state.put("to", Long.toString(tenant.changeLog().current()));
    state.put("i", "0");
    state.put("m", "0");
    state.put("s", link.getOrDefault("s", ""));
    return state;
  }

  private Reply page(Call call, Kind kind, Map<String, String> state, Query q) {
    List<String> select = state.get("s").isEmpty() ? null : List.of(state.get("s").split(","));
    boolean members = kind == Kind.GROUP && select != null && select.contains("members");
    List<Item> items = state.get("mode").equals("initial") ? null : changes(kind, state, members);
    ObjectStore store = tenant.store(kind);
    int end = items == null ? store.positions() : items.size();
    int i = Cursor.intField(state, "i", "skip token");
    int m = Cursor.intField(state, "m", "skip token");
    int pageSize = pageSize(call);
    PageWriter page = new PageWriter(context(call, kind), null);
    int written = 0;
    int[] refs = {0};
    while (i < end && written < pageSize && refs[0] < MEMBERS_PER_PAGE) {
      Item item = items == null ? new Item(i, null) : items.get(i);
      int next = emit(page, kind, store, item, members, m, select, q, refs);
      written++;
      if (next > 0) { // more member slices of this group: continue it on the next page
        m = next;
        break;
      }
      m = 0;
      i++;
    }
    if (i >= end) {
      long to = Cursor.longField(state, "to", "skip token");
      return Reply.json(200, page.finish(null, deltaLink(call, kind, to, state.get("s"))));
    }
    state.put("i", Integer.toString(i));
    state.put("m", Integer.toString(m));
    String link =
        call.base()
            + "/"
            + kind.segment()
            + "/delta?$skiptoken="
            + URLEncoder.encode(Cursor.encode(state), StandardCharsets.UTF_8);
    return Reply.json(200, page.finish(link, null));
  }

  /**
   * Writes one item; returns the member offset to continue from, or 0 when the item is complete.
   */
  private int emit(
      PageWriter page,
      Kind kind,
      ObjectStore store,
      Item item,
      boolean members,
      int memberOffset,
      List<String> select,
      Query q,
      int[] refs) {
    Map<String, Object> o = store.at(item.position());
    if (o == null) {
      String reason = store.removedReason(item.position());
      // An initial sync (no member changes: all of the object) lists what exists; removals come
      // later.
      if (reason != null && item.memberChanges() != null) {

        page.object(
            null,
            Map.of("id", store.idAt(item.position())),
            List.of("id"),
            Map.of("@removed", Map.of("reason", reason)));
      }
      return 0;
    }
    if (q.filter != null && !q.filter.test(o)) {
      return 0;
    }
    if (!members || (item.memberChanges() != null && item.memberChanges().isEmpty())) {
      page.object(null, o, select, null);
      return 0;
    }
    List<Map<String, Object>> slice = new ArrayList<>();
    int next = memberSlice(item, memberOffset, slice);
    refs[0] += slice.size();
    page.object(null, o, select, Map.of("members@delta", slice));
    return next;
  }

  private int memberSlice(Item item, int offset, List<Map<String, Object>> slice) {
    if (item.memberChanges() != null) {
      List<ChangeLog.Entry> c = item.memberChanges();
      int end = Math.min(c.size(), offset + MEMBER_SLICE);
      for (int k = offset; k < end; k++) {
        ChangeLog.Entry e = c.get(k);
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("@odata.type", "#microsoft.graph." + e.memberType());
        ref.put("id", e.memberId());
        if (e.removed()) {
          ref.put("@removed", Map.of("reason", "deleted"));
        }
        slice.add(ref);
      }
      return end < c.size() ? end : 0;
    }
    Memberships ms = tenant.memberships();
    int positions = ms.positions(item.position());
    int p = offset;
    for (; p < positions && slice.size() < MEMBER_SLICE; p++) {
      Memberships.Member member = ms.at(item.position(), p);
      if (member != null) {
        slice.add(Map.of("@odata.type", "#microsoft.graph." + member.type(), "id", member.id()));
      }
    }
    return p < positions ? p : 0;
  }

  /** Objects changed between the token's version and the snapshot: latest state, each once. */
  private List<Item> changes(Kind kind, Map<String, String> state, boolean members) {
    long from = Cursor.longField(state, "from", "delta token");
    long to = Cursor.longField(state, "to", "skip token");
    Map<Integer, List<ChangeLog.Entry>> byPosition = new LinkedHashMap<>();
    for (ChangeLog.Entry e : tenant.changeLog().between(from, to)) {
      if (e.kind() != kind || (e.memberId() != null && !members)) {
        continue;
      }
      List<ChangeLog.Entry> list = byPosition.remove(e.index()); // re-insert: order of last change
      if (list == null) {
        list = new ArrayList<>();
      }
      if (e.memberId() != null) {
        list.add(e);
      }
      byPosition.put(e.index(), list);
    }
    List<Item> items = new ArrayList<>();
    byPosition.forEach(
        (position, memberChanges) -> items.add(new Item(position, lastPerMember(memberChanges))));
    return items;
  }

  private static List<ChangeLog.Entry> lastPerMember(List<ChangeLog.Entry> entries) {
    Map<String, ChangeLog.Entry> last = new LinkedHashMap<>();
    entries.forEach(
        e -> {
          last.remove(e.memberId());
          last.put(e.memberId(), e);
        });
    return new ArrayList<>(last.values());
  }

  private String deltaLink(Call call, Kind kind, long version, String select) {
    Map<String, String> link = new LinkedHashMap<>();
    link.put("v", Long.toString(version));
    link.put("s", select);
    link.put("t", Long.toString(tenant.clock().millis()));
    return call.base()
        + "/"
        + kind.segment()
        + "/delta?$deltatoken="
        + URLEncoder.encode(Cursor.encode(link), StandardCharsets.UTF_8);
  }

  private static String select(Query q) {
    return q.select == null ? "" : String.join(",", q.select);
  }

  private static String context(Call call, Kind kind) {
    return call.base() + "/$metadata#" + kind.segment();
  }

  private static int pageSize(Call call) {
    String prefer = call.ex.header("Prefer");
    if (prefer != null && prefer.contains("odata.maxpagesize=")) {
      try {
        int n = Integer.parseInt(prefer.replaceAll(".*odata.maxpagesize=(\\d+).*", "$1"));
        return Math.max(1, Math.min(999, n));
      } catch (NumberFormatException e) {
        return DEFAULT_PAGE;
      }
    }
    return DEFAULT_PAGE;
  }
}
