package io.dirpipe.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link Time} for tests that moves only when told: {@link #advance} moves it, and {@link #sleep}
 * moves it by the time asked for at once and records the wait (as Kafka's {@code MockTime} does),
 * so code that waits runs in microseconds and the test asserts exactly how long it waited.
 */
public final class ManualTime implements Time {
  private Instant wall;
  private long nanos;
  private final List<Duration> sleeps = new ArrayList<>();

  public ManualTime() {
    this(Instant.parse("2026-03-01T00:00:00Z"));
  }

  public ManualTime(Instant start) {
    this.wall = start;
    this.nanos = 1_000_000_000L; // any origin: only differences of nanoTime() matter
  }

  @Override
  public synchronized Instant now() {
    return wall;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    synchronized (this) {
      sleeps.add(duration);
    }
    if (duration.compareTo(Duration.ZERO) > 0) {
      advance(duration);
    }
  }

  /**
   * Open latch: true at once. Closed: the whole timeout passes on this clock (recorded as a wait)
   * and the latch is checked again, so a latch opened by the code under test during the wait (on
   * this thread, before it) counts.
   */
  @Override
  public boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException {
    if (latch.getCount() == 0) {
      return true;
    }
    sleep(timeout);
    return latch.getCount() == 0;
  }

  /** Moves the clock forward. */
  public synchronized void advance(Duration d) {
    wall = wall.plus(d);
    nanos += d.toNanos();
  }

  /** Every wait asked for so far, in order (zero and negative waits included). */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** The sum of the positive waits asked for so far. */
  public synchronized Duration slept() {
    return sleeps.stream()
        .filter(d -> d.compareTo(Duration.ZERO) > 0)
        .reduce(Duration.ZERO, Duration::plus);
  }
}
