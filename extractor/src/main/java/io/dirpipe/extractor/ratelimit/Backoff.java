package io.dirpipe.extractor.ratelimit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter for failures that come without a Retry-After. */
public record Backoff(Duration initial, double multiplier, Duration max) {
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(30));

  /**
   * The wait before attempt {@code attempt} (1 = the first retry): initial *
   * multiplier^(attempt-1), ±20 %.
   */
  public Duration delay(int attempt) {
    double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    double capped = Math.min(base, max.toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.round(capped * jitter));
  }
}
