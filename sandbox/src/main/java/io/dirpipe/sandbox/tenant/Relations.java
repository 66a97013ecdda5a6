package io.dirpipe.sandbox.tenant;

import java.util.ArrayList;
import java.util.List;

/**
 * The owners of groups, applications and service principals, and the members of directory roles:
 * users, derived from the seed for the generated objects (objects created later have none), so the
 * same spec gives the same edges. A user deleted since leaves them, as in Graph. How many each
 * parent has is the relationship's {@link Sizing}. {@link #add} and {@link #remove} change them
 * (the sandbox's mutations).
 */
public final class Relations {
  private final long seed;
  private final Ids ids;
  private final ObjectStore users;
  private final java.util.function.Function<Kind, ObjectStore> stores;
  private final int userCount;
  private final int[] bases;
  private final Sizing sizing;

  /** How many users a generated parent of a kind has in this relationship. */
  @FunctionalInterface
  interface Sizing {
    int count(Kind parent, long hash);
  }

  /**
   * Owners and role members: groups one or two owners, applications one, service principals none or
   * one (most enterprise apps have no owner), directory roles one to three members, administrative
   * units two to five members.
   */
  static int ownersAndMembers(Kind parent, long h) {
    return switch (parent) {
      case GROUP -> 1 + (int) Math.floorMod(h, 2L);
      case APPLICATION -> 1;
      case SERVICE_PRINCIPAL -> (int) Math.floorMod(h, 2L);
      case DIRECTORY_ROLE -> 1 + (int) Math.floorMod(h, 3L);
      case ADMINISTRATIVE_UNIT -> 2 + (int) Math.floorMod(h, 4L);
      default -> 0;
    };
  }

  /** A user's manager: nine users in ten have one. */
  static int managers(Kind parent, long h) {
    return parent == Kind.USER && Math.floorMod(h, 10L) != 0 ? 1 : 0;
  }

  /** Users assigned to an app (its service principal): none for two in three, else one to four. */
  static int appRoles(Kind parent, long h) {
    return parent == Kind.SERVICE_PRINCIPAL && Math.floorMod(h, 3L) == 0
        ? 1 + (int) Math.floorMod(h >>> 8, 4L)
        : 0;
  }

  /** Added members per parent: id to type (user, or group for a role assigned to a group). */
  private final java.util.Map<String, java.util.Map<String, String>> added =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.Map<String, java.util.Set<String>> removed =
      new java.util.concurrent.ConcurrentHashMap<>();

  Relations(
      long seed,
      Ids ids,
      java.util.function.Function<Kind, ObjectStore> stores,
      int userCount,
      int[] bases,
      Sizing sizing) {
    this.seed = seed;
    this.ids = ids;
    this.users = stores.apply(Kind.USER);
    this.stores = stores;
    this.userCount = userCount;
    this.bases = bases;
    this.sizing = sizing;
  }

  /** The owners of a group, application or service principal; the members of a directory role. */
  public synchronized List<Memberships.Member> of(Kind parent, String parentId) {
    List<Memberships.Member> related = new ArrayList<>();
    java.util.Set<String> gone = removed.getOrDefault(parentId, java.util.Set.of());
    for (Memberships.Member m : generated(parent, parentId)) {
      if (!gone.contains(m.id())) {
        related.add(m);
      }
    }
    for (var e : added.getOrDefault(parentId, java.util.Map.of()).entrySet()) {
      Kind kind = e.getValue().equals("group") ? Kind.GROUP : Kind.USER;
      if (stores.apply(kind).get(e.getKey()) != null) {
        related.add(new Memberships.Member(e.getKey(), e.getValue()));
      }
    }
    return related;
  }

  /** Makes a user an owner (a member of a role); false when it already is. */
  public boolean add(Kind parent, String parentId, String userId) {
    return add(parent, parentId, userId, "user");
  }

  /**
   * Makes a user or a group ({@code type}) an owner or a member of a role (a role assigned to a
   * role-assignable group); false when it already is.
   */
  public synchronized boolean add(Kind parent, String parentId, String id, String type) {
    if (of(parent, parentId).stream().anyMatch(m -> m.id().equals(id))) {
      return false;
    }
    java.util.Set<String> gone = removed.get(parentId);
    if (gone == null || !gone.remove(id)) {
      added.computeIfAbsent(parentId, k -> new java.util.LinkedHashMap<>()).put(id, type);
    }
    return true;
  }

  /** Removes an owner (a member of a role); false when it was not one. */
  public synchronized boolean remove(Kind parent, String parentId, String userId) {
    if (of(parent, parentId).stream().noneMatch(m -> m.id().equals(userId))) {
      return false;
    }
    java.util.Map<String, String> extra = added.get(parentId);
    if (extra == null || extra.remove(userId) == null) {
      removed.computeIfAbsent(parentId, k -> new java.util.HashSet<>()).add(userId);
    }
    return true;
  }

  private List<Memberships.Member> generated(Kind parent, String parentId) {
    int index = ids.indexOf(parentId);
    List<Memberships.Member> related = new ArrayList<>();
    if (userCount == 0 || index < 0 || index >= bases[parent.ordinal()]) {
      return related;
    }
    long h = Mix.hash(seed, parent.code * 7919L, index);
    int count = sizing.count(parent, h);
    for (int i = 0; i < count; i++) {
      int u = (int) Math.floorMod(Mix.hash(h, i), (long) userCount);
      String id = ids.of(Kind.USER, u);
      boolean seen = related.stream().anyMatch(m -> m.id().equals(id));
      if (!seen && users.get(id) != null) {
        related.add(new Memberships.Member(id, "user"));
      }
    }
    return related;
  }
}
