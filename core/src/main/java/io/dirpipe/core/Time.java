package io.dirpipe.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;

/**
 * The one source of time and waiting in dirpipe: every component that reads the clock or waits
 * (rate limiting, Retry-After and backoff, token refresh, schedules, idle checks, roll intervals)
 * takes a {@code Time}. Production uses {@link #SYSTEM}; tests use a manual time that only moves
 * when told, so time-dependent behaviour is asserted exactly and without sleeping.
 */
public interface Time {
  /** The system clock; {@link #sleep} parks the calling thread. */
  Time SYSTEM = new SystemTime();

  /** Wall-clock time, for timestamps written to records and files. */
  Instant now();

  /** A monotonic reading for measuring intervals; only differences between readings matter. */
  long nanoTime();

  /** Waits for {@code duration} (nothing when it is zero or negative). */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Waits until {@code latch} is open or {@code timeout} has passed, whichever comes first.
   *
   * @return true when the latch opened
   */
  boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException;

  /** This time as a {@link Clock} in UTC, for APIs that take one. */
  default Clock clock() {
    Time time = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return Clock.fixed(time.now(), zone); // not used by dirpipe; a view at this instant
      }

      @Override
      public Instant instant() {
        return time.now();
      }
    };
  }

  /** Nanoseconds passed since the reading {@code startNanos} of {@link #nanoTime}. */
  default Duration since(long startNanos) {
    return Duration.ofNanos(nanoTime() - startNanos);
  }
}
