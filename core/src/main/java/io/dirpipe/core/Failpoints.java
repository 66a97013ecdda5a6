package io.dirpipe.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Named moments a test can stop a process at, to kill it there: with the system property {@code
 * dirpipe.failpoint=NAME} (or {@code NAME@N}, the N-th time), the process prints {@code failpoint
 * NAME reached} to standard error when it gets there and waits forever. Without the property, a
 * failpoint is a map lookup. A kill test so knows the process is exactly where it wants it, instead
 * of guessing by time.
 */
public final class Failpoints {
  public static final String PROPERTY = "dirpipe.failpoint";
  private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

  private Failpoints() {}

  public static void reach(String name) {
    String armed = System.getProperty(PROPERTY);
    if (armed == null || !armed.startsWith(name)) {
      return;
    }
    int at = armed.indexOf('@');
    String armedName = at < 0 ? armed : armed.substring(0, at);
    if (!armedName.equals(name)) {
      return;
    }
    int times = REACHED.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    if (at >= 0 && times != Integer.parseInt(armed.substring(at + 1))) {
      return;
    }
    System.err.println("failpoint " + name + " reached");
    System.err.flush();
    while (true) {
      LockSupport.park(); // until the process is killed
    }
  }
}
