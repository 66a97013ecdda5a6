package io.dirpipe.cli.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code /health} says about the roles of {@code dirpipe run}: each failed or stopped role by
 * name with a short state. Exception texts stay in the log (they can carry hosts, paths and request
 * details that a health probe must not publish).
 */
final class RoleHealth {
  private final Map<String, String> problems = new TreeMap<>();

  /** A role (or one of its collections) failed; the cause is logged by the caller. */
  synchronized void failed(String role) {
    problems.put(role, "failed (see the log)");
  }

  /** A role stopped working though nobody asked it to. */
  synchronized void stopped(String role) {
    problems.putIfAbsent(role, "stopped (see the log)");
  }

  /** The role works again (its next run completed). */
  synchronized void recovered(String role) {
    problems.remove(role);
  }

  /** Null when every role runs; otherwise {@code role: state; ...}. */
  synchronized String problem() {
    if (problems.isEmpty()) {
      return null;
    }
    StringBuilder s = new StringBuilder();
    problems.forEach(
        (role, state) -> s.append(s.isEmpty() ? "" : "; ").append(role).append(": ").append(state));
    return s.toString();
  }

  synchronized RoleHealth copy() {
    RoleHealth c = new RoleHealth();
    c.problems.putAll(problems);
    return c;
  }
}
