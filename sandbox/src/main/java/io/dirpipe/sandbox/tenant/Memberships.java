package io.dirpipe.sandbox.tenant;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group members. A generated group's users are a slice of a permutation of all generated users
 * (distinct by construction, no storage), followed by a few nested groups; sizes run from 1 to tens
 * of thousands. Additions and removals live in a small overlay and are logged for {@code
 * members@delta}.
 */
public final class Memberships {
  /** One member: its id and Graph type ({@code user}, {@code group}). */
  public record Member(String id, String type) {}

  /** One edge of the membership graph. */
  public record Edge(String groupId, String memberId, String memberType) {}

  private final long seed;
  private final Ids ids;
  private final int users;
  private final int groups;
  private final ObjectStore userStore;
  private final ObjectStore groupStore;
  private final ChangeLog log;
  private final Map<Integer, Overlay> overlays = new ConcurrentHashMap<>();
  private final Map<Integer, Long> multipliers = new ConcurrentHashMap<>();

  private static final class Overlay {
    final Map<String, String> added = new LinkedHashMap<>();
    final Set<String> removed = ConcurrentHashMap.newKeySet();
  }

  Memberships(
      long seed,
      Ids ids,
      ObjectStore users,
      ObjectStore groups,
      int userCount,
      int groupCount,
      ChangeLog log) {
    this.seed = seed;
    this.ids = ids;
    this.userStore = users;
    this.groupStore = groups;
    this.users = userCount;
    this.groups = groupCount;
    this.log = log;
  }

  /**
   * Generated user members of group g, skewed as directories are: 80 % have 1-20 members, 16 %
   * 20-200, 3.95 % 200-2,000 and one in 2,000 is an all-staff kind of group of 10,000-60,000 (at
   * most half the users). About 87 members on average: each user is in ~17 groups. Group 1 is such
   * a group in every tenant (half its users, at most 60,000), so even a small test tenant has a
   * group whose members take several pages.
   */
  int baseUsers(int g) {
    if (g >= groups || users == 0) {
      return 0;
    }
    long h = Mix.hash(seed, 0x6000L + g);
    int bucket = Mix.below(h, 10_000);
    int size;
    if (g == 1) {
      size = 60_000;
    } else if (bucket < 8_000) {
      size = 1 + Mix.below(Mix.hash(h, 1), 20);
    } else if (bucket < 9_600) {
      size = 20 + Mix.below(Mix.hash(h, 2), 180);
    } else if (bucket < 9_995) {
      size = 200 + Mix.below(Mix.hash(h, 3), 1_800);
    } else {
      size = 10_000 + Mix.below(Mix.hash(h, 4), 50_000);
    }
    return Math.min(size, Math.max(1, users / 2));
  }

  /** Generated nested groups of group g (every tenth group holds 1-3 earlier groups). */
  int baseGroups(int g) {
    return g > 0 && g < groups && g % 10 == 0 ? 1 + Mix.below(Mix.hash(seed, 0x7000L + g), 3) : 0;
  }

  /** Group g's permutation multiplier, coprime with the user count: computed once per group. */
  private long multiplier(int g) {
    return multipliers.computeIfAbsent(
        g,
        k -> {
          long a = 1 + Mix.below(Mix.hash(seed, 0x8000L + k), Math.max(1, users - 1));
          while (BigInteger.valueOf(a).gcd(BigInteger.valueOf(users)).intValue() != 1) {
            a = a % users + 1;
          }
          return a;
        });
  }

  private long offset(int g) {
    return Mix.below(Mix.hash(seed, 0x9000L + g), users);
  }

  private String baseMember(int g, int k, long a, long b) {
    int nu = baseUsers(g);
    if (k < nu) {
      return ids.of(Kind.USER, (int) ((a * k + b) % users));
    }
    int nested = k - nu; // earlier groups, spread out
    return ids.of(Kind.GROUP, (Mix.below(Mix.hash(seed, 0xA000L + g), g) + nested) % g);
  }

  private boolean inBase(int g, String memberId) {
    Kind kind = ids.kindOf(memberId);
    int idx = ids.indexOf(memberId);
    if (kind == Kind.USER && idx < users && users > 0) {
      long a = multiplier(g);
      long inv = BigInteger.valueOf(a).modInverse(BigInteger.valueOf(users)).longValue();
      long k = Math.floorMod((idx - offset(g)) * inv, (long) users);
      return k < baseUsers(g);
    }
    if (kind == Kind.GROUP) {
      int nu = baseUsers(g);
      for (int n = 0; n < baseGroups(g); n++) {
        if (baseMember(g, nu + n, 0, 0).equals(memberId)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Positions of group g's member listing (some may be skipped: removed, or the member deleted).
   */
  public int positions(int g) {
    Overlay o = overlays.get(g);
    return baseUsers(g) + baseGroups(g) + (o == null ? 0 : o.added.size());
  }

  /** The member at a position of group g's listing, or null when skipped. */
  public Member at(int g, int position) {
    int base = baseUsers(g) + baseGroups(g);
    Overlay o = overlays.get(g);
    String id;
    String type;
    if (position < base) {
      id = baseMember(g, position, multiplier(g), offset(g));
      type = position < baseUsers(g) ? "user" : "group";
      if (o != null && o.removed.contains(id)) {
        return null;
      }
    } else {
      if (o == null) {
        return null;
      }
      synchronized (o) {
        int i = position - base;
        if (i >= o.added.size()) {
          return null;
        }
        Map.Entry<String, String> e = o.added.entrySet().stream().skip(i).findFirst().orElseThrow();
        id = e.getKey();
        type = e.getValue();
      }
    }
    ObjectStore store = type.equals("user") ? userStore : groupStore;
    return store.get(id) == null ? null : new Member(id, type);
  }

  /** All members of a group, in listing order. */
  public java.util.List<Member> all(int g) {
    java.util.List<Member> members = new java.util.ArrayList<>();
    for (int p = 0, n = positions(g); p < n; p++) {
      Member m = at(g, p);
      if (m != null) {
        members.add(m);
      }
    }
    return members;
  }

  public boolean contains(int g, String memberId) {
    Overlay o = overlays.get(g);
    if (o != null && o.added.containsKey(memberId)) {
      return true;
    }
    return inBase(g, memberId) && (o == null || !o.removed.contains(memberId));
  }

  /** Adds a member; false when it already is one. */
  public synchronized boolean add(int g, String memberId, String type) {
    if (contains(g, memberId)) {
      return false;
    }
    Overlay o = overlays.computeIfAbsent(g, k -> new Overlay());
    synchronized (o) {
      if (!o.removed.remove(memberId)) {
        o.added.put(memberId, type);
      }
    }
    log.append(Kind.GROUP, g, memberId, type, false);
    return true;
  }

  /** Removes a member; false when it is not one. */
  public synchronized boolean remove(int g, String memberId) {
    if (!contains(g, memberId)) {
      return false;
    }
    Overlay o = overlays.computeIfAbsent(g, k -> new Overlay());
    String type = ids.kindOf(memberId) == Kind.GROUP ? "group" : "user";
    synchronized (o) {
      if (o.added.remove(memberId) == null) {
        o.removed.add(memberId);
      }
    }
    log.append(Kind.GROUP, g, memberId, type, true);
    return true;
  }
}
