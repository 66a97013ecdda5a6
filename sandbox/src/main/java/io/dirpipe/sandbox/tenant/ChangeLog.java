package io.dirpipe.sandbox.tenant;

import java.util.ArrayList;
import java.util.List;

/**
 * Every mutation of the tenant in order, each with a version: delta queries return what changed
 * between the version in their token and now. Versions start at 1; version 0 is the generated
 * tenant.
 */
public final class ChangeLog {
  /** One change: of an object, or (memberId set) of a group's membership. */
  public record Entry(
      long version, Kind kind, int index, String memberId, String memberType, boolean removed) {}

  private final List<Entry> entries = new ArrayList<>();

  public synchronized long current() {
    return entries.size();
  }

  synchronized long append(
      Kind kind, int index, String memberId, String memberType, boolean removed) {
    long version = entries.size() + 1L;
    entries.add(new Entry(version, kind, index, memberId, memberType, removed));
    return version;
  }

  /** Entries with from &lt; version &lt;= to, oldest first. */
  public synchronized List<Entry> between(long from, long to) {
    int start = (int) Math.max(0, Math.min(from, entries.size()));
    int end = (int) Math.max(start, Math.min(to, entries.size()));
    return new ArrayList<>(entries.subList(start, end));
  }
}
