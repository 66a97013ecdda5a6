package io.dirpipe.sandbox.tenant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The objects of one kind: positions 0..base-1 are generated on demand, later positions were
 * created. Mutations copy an object into the overlay (never modify a map a reader may hold) and are
 * logged.
 */
public final class ObjectStore {
  private final Kind kind;
  private final int base;
  private final Generator generator;
  private final Ids ids;
  private final ChangeLog log;
  private final Map<Integer, Map<String, Object>> overlay = new ConcurrentHashMap<>();
  private final Map<Integer, String> removed = new ConcurrentHashMap<>();
  private final AtomicInteger next;
  private volatile String[] created;

  ObjectStore(Kind kind, int base, Generator generator, Ids ids, ChangeLog log) {
    this.kind = kind;
    this.base = base;
    this.generator = generator;
    this.ids = ids;
    this.log = log;
    this.next = new AtomicInteger(base);
  }

  public Kind kind() {
    return kind;
  }

  /** Positions in use: live objects plus removed ones (skipped when listing). */
  public int positions() {
    return next.get();
  }

  /** Objects currently in the directory. */
  public int count() {
    return next.get() - removed.size();
  }

  /** The object at a position, or null when it was removed. The map must not be modified. */
  public Map<String, Object> at(int position) {
    if (position < 0 || position >= next.get() || removed.containsKey(position)) {
      return null;
    }
    Map<String, Object> o = overlay.get(position);
    return o != null
        ? o
        : position < base ? new GeneratedObject(this, generator, kind, position) : null;
  }

  /**
   * The generated {@code createdDateTime} of a base position, remembered once computed: range
   * counts test it on every object, again and again.
   */
  String createdDateTime(int position) {
    String[] known = created;
    if (known == null) {
      known = new String[base];
      created = known;
    }
    String value = known[position];
    if (value == null) {
      value = generator.createdDateTime(kind, position);
      known[position] = value; // a race computes the same value twice
    }
    return value;
  }

  /** The live object with that id, or null. */
  public Map<String, Object> get(String id) {
    return ids.kindOf(id) == kind ? at(ids.indexOf(id)) : null;
  }

  /** Why the object at a position was removed ({@code changed} or {@code deleted}), or null. */
  public String removedReason(int position) {
    return removed.get(position);
  }

  public String idAt(int position) {
    return ids.of(kind, position);
  }

  /** Creates an object from its properties (any {@code id} given is replaced); returns its id. */
  public synchronized String create(Map<String, Object> properties) {
    int position = next.get();
    String id = ids.of(kind, position);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", id);
    properties.forEach(
        (k, v) -> {
          if (!k.equals("id")) {
            o.put(k, v);
          }
        });
    overlay.put(position, o);
    next.incrementAndGet();
    log.append(kind, position, null, null, false);
    return id;
  }

  /** Applies a patch; returns the properties whose value changed (empty: nothing logged). */
  public synchronized List<String> update(String id, Map<String, Object> patch) {
    Map<String, Object> current = get(id);
    if (current == null) {
      return null;
    }
    Map<String, Object> copy = new LinkedHashMap<>(current);
    List<String> changed = new java.util.ArrayList<>();
    patch.forEach(
        (k, v) -> {
          if (!k.equals("id") && !java.util.Objects.equals(copy.get(k), v)) {
            copy.put(k, v);
            changed.add(k);
          }
        });
    return commit(id, copy, changed);
  }

  /** Changes a few properties the way a directory changes (new title, department, ...). */
  public synchronized List<String> mutate(String id, long salt) {
    Map<String, Object> current = get(id);
    if (current == null) {
      return null;
    }
    Map<String, Object> copy = new LinkedHashMap<>(current);
    return commit(id, copy, generator.mutate(kind, copy, salt));
  }

  private List<String> commit(String id, Map<String, Object> copy, List<String> changed) {
    if (!changed.isEmpty()) {
      int position = ids.indexOf(id);
      overlay.put(position, copy);
      log.append(kind, position, null, null, false);
    }
    return changed;
  }

  /**
   * Removes an object.
   *
   * @param reason {@code changed} (soft-deleted, restorable) or {@code deleted} (permanent)
   * @return false when there was no such live object
   */
  public synchronized boolean delete(String id, String reason) {
    if (get(id) == null) {
      return false;
    }
    int position = ids.indexOf(id);
    removed.put(position, reason);
    log.append(kind, position, null, null, true);
    return true;
  }
}
