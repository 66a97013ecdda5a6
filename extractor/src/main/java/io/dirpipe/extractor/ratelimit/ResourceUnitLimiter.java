package io.dirpipe.extractor.ratelimit;

import io.dirpipe.core.Time;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One tenant's share of Graph's resource units (FACTS.md §7): a token bucket of the quota per 10 s.
 * Each request pays its predicted cost before it is sent; the server's {@code x-ms-resource-unit}
 * corrects the payment; {@code x-ms-throttle-limit-percentage} above 0.8 costs extra so the pace
 * eases off; a 429 pauses every request of the tenant until its Retry-After. Goal: close to the
 * quota with almost no 429s. The bucket reads and waits on the given {@link Time}, so its pace is
 * tested on a manual clock.
 */
public final class ResourceUnitLimiter {
  private final Time time;
  private final Bucket bucket;
  private final BlockingStrategy waiting;
  private final AtomicLong pausedUntilNanos;
  private final AtomicLong paid = new AtomicLong();

  public ResourceUnitLimiter(int unitsPerTenSeconds, Time time) {
    this.time = time;
    this.pausedUntilNanos = new AtomicLong(time.nanoTime());
    this.waiting = nanos -> time.sleep(Duration.ofNanos(nanos));
    this.bucket =
        Bucket.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(unitsPerTenSeconds)
                    .refillGreedy(unitsPerTenSeconds, Duration.ofSeconds(10))
                    .build())
            .withCustomTimePrecision(
                new TimeMeter() {
                  @Override
                  public long currentTimeNanos() {
                    return time.nanoTime();
                  }

                  @Override
                  public boolean isWallClockBased() {
                    return false;
                  }
                })
            .build();
  }

  /** Waits out any pause, then for the units of one request. */
  public void acquire(int units) throws InterruptedException {
    waitForPause();
    bucket.asBlocking().consume(units, waiting);
    paid.addAndGet(units);
  }

  /** Corrects a request's payment with what the server charged and how close to its limit it is. */
  public void settle(int predicted, int charged, double limitPercentage) {
    if (charged > predicted) {
      bucket.consumeIgnoringRateLimits(charged - predicted);
      paid.addAndGet(charged - predicted);
    } else if (charged >= 0 && charged < predicted) {
      bucket.addTokens(predicted - charged);
      paid.addAndGet(charged - predicted);
    }
    if (limitPercentage > 0.8) {
      bucket.consumeIgnoringRateLimits(
          Math.max(1, Math.round(predicted * (limitPercentage - 0.8) * 5)));
    }
  }

  /** A 429: no request of this tenant goes out before the Retry-After has passed. */
  public void pause(Duration retryAfter) {
    long until = time.nanoTime() + retryAfter.toNanos();
    pausedUntilNanos.accumulateAndGet(until, (a, b) -> a - b > 0 ? a : b);
  }

  /** Resource units paid so far (after corrections): what the server charged. */
  public long paid() {
    return paid.get();
  }

  /** Units available now (negative while requests wait for refill or after an overcharge). */
  public long available() {
    return bucket.getAvailableTokens();
  }

  private void waitForPause() throws InterruptedException {
    long wait;
    while ((wait = pausedUntilNanos.get() - time.nanoTime()) > 0) {
      time.sleep(Duration.ofNanos(wait));
    }
  }
}
