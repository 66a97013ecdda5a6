package io.dirpipe.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How one integration retries a transient failure: at most {@code maxAttempts} attempts and never
 * past {@code deadline} from the first; between attempts the server's {@code Retry-After} when it
 * gave one, otherwise exponential backoff with full jitter (a uniformly random wait between zero
 * and {@code min(cap, initial * 2^(n-1))}, so that clients that failed together do not retry
 * together). Every wait and every deadline is read from the injected {@link Time}.
 *
 * <p>Which failures are transient is not decided here: each integration classifies its own answers
 * in one place and asks its {@link Retries} only about those.
 */
public record RetryPolicy(int maxAttempts, Duration deadline, Duration initial, Duration cap) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
  }

  /** A policy with the usual backoff (200 ms doubling, capped at 30 s). */
  public static RetryPolicy of(int maxAttempts, Duration deadline) {
    return new RetryPolicy(maxAttempts, deadline, Duration.ofMillis(200), Duration.ofSeconds(30));
  }

  /** The retries of one operation, starting now. */
  public Retries start(Time time) {
    return new Retries(this, time, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Like {@link #start(Time)} with a chosen source of jitter in [0, 1), for tests. */
  public Retries start(Time time, DoubleSupplier random) {
    return new Retries(this, time, random);
  }

  /** The backoff ceiling before retry {@code n} (1 = the first retry). */
  public Duration ceiling(int n) {
    double millis = initial.toMillis() * Math.pow(2, Math.min(Math.max(0, n - 1), 30));
    return Duration.ofMillis((long) Math.min(millis, cap.toMillis()));
  }

  /** The attempts made so far for one operation, and the wait before the next. */
  public static final class Retries {
    private final RetryPolicy policy;
    private final Time time;
    private final DoubleSupplier random;
    private final long startNanos;
    private int failures;

    private Retries(RetryPolicy policy, Time time, DoubleSupplier random) {
      this.policy = policy;
      this.time = time;
      this.random = random;
      this.startNanos = time.nanoTime();
    }

    /**
     * Records a failed attempt.
     *
     * @param retryAfter the server's Retry-After, or null
     * @return the wait before the next attempt, or null when the attempts or the deadline are spent
     */
    public Duration next(Duration retryAfter) {
      failures++;
      if (failures >= policy.maxAttempts) {
        return null;
      }
      Duration wait =
          retryAfter != null
              ? retryAfter
              : Duration.ofMillis(
                  (long) (random.getAsDouble() * policy.ceiling(failures).toMillis()));
      if (time.since(startNanos).plus(wait).compareTo(policy.deadline) > 0) {
        return null;
      }
      return wait;
    }

    /** Failed attempts so far. */
    public int failures() {
      return failures;
    }

    /** How it ended, for a message: "3 attempts over 12 s". */
    public String summary() {
      long seconds = time.since(startNanos).toSeconds();
      return failures + (failures == 1 ? " attempt" : " attempts") + " over " + seconds + " s";
    }
  }
}
