package io.dirpipe.cli.observe;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code /health/ready} says about a process's roles (or an extractor's collections): each
 * failed or stopped one by name with a short state. Exception texts stay in the log (they can carry
 * hosts, paths and request details that a health probe must not publish).
 */
public final class RoleHealth {
  private final Map<String, String> problems = new TreeMap<>();

  /** A role (or one of its collections) failed; the cause is logged by the caller. */
  public synchronized void failed(String role) {
    problems.put(role, "failed (see the log)");
  }

  /** A role stopped working though nobody asked it to. */
  public synchronized void stopped(String role) {
    problems.putIfAbsent(role, "stopped (see the log)");
  }

  /** The role works again (its next run completed). */
  public synchronized void recovered(String role) {
    problems.remove(role);
  }

  /** Marks each failed run's collection failed and each completed one recovered. */
  public void update(java.util.List<io.dirpipe.extractor.run.RunSummary> runs) {
    for (var r : runs) {
      String name = "extract " + r.tenantId() + " " + r.collection();
      if (r.status().equals("completed")) {
        recovered(name);
      } else {
        failed(name);
      }
    }
  }

  /** Null when every role runs; otherwise {@code role: state; ...}. */
  public synchronized String problem() {
    if (problems.isEmpty()) {
      return null;
    }
    StringBuilder s = new StringBuilder();
    problems.forEach(
        (role, state) -> s.append(s.isEmpty() ? "" : "; ").append(role).append(": ").append(state));
    return s.toString();
  }
}
