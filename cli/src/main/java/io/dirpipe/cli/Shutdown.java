package io.dirpipe.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for Ctrl-C (SIGINT) or SIGTERM so that long-running commands can stop their work in order
 * and return exit code 0. A JVM shutdown hook would run the same clean-up, but the process would
 * then exit with 130 or 143; handling the signal lets the command finish normally.
 */
final class Shutdown {
  private final CountDownLatch requested = new CountDownLatch(1);

  /** Installs handlers for INT and TERM. Call once per process, before the work starts. */
  static Shutdown onSignals() {
    Shutdown shutdown = new Shutdown();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), s -> shutdown.requested.countDown());
    }
    return shutdown;
  }

  /** Runs {@code action} on a thread of its own once a signal arrives. */
  Shutdown then(Runnable action) {
    Thread t =
        new Thread(
            () -> {
              try {
                requested.await();
                action.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "shutdown");
    t.setDaemon(true);
    t.start();
    return this;
  }

  /** Blocks until a signal arrives. */
  void await() throws InterruptedException {
    requested.await();
  }

  /** Waits up to {@code timeout}; true when a signal arrived. */
  boolean await(java.time.Duration timeout) throws InterruptedException {
    return requested.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
