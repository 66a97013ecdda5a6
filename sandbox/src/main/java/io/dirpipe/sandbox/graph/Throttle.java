package io.dirpipe.sandbox.graph;

import io.dirpipe.core.Time;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Graph's identity-and-access throttling model (FACTS.md §7): a token bucket of resource units per
 * app+tenant pair refilled over 10 s, sized by tenant size (3,500 / 5,000 / 8,000), and a write
 * bucket of 3,000 per 150 s. A 429 blocks the pair until its Retry-After; asking earlier is
 * throttled again.
 */
public final class Throttle {
  /** The size classes of FACTS.md §7, or off. */
  public enum Quota {
    OFF(0),
    SMALL(3_500),
    MEDIUM(5_000),
    LARGE(8_000);

    final long perTenSeconds;

    Quota(long perTenSeconds) {
      this.perTenSeconds = perTenSeconds;
    }

    /** The class Graph applies to a tenant of that many users. */
    public static Quota forUsers(int users) {
      return users < 50 ? SMALL : users <= 500 ? MEDIUM : LARGE;
    }

    public long perTenSeconds() {
      return perTenSeconds;
    }
  }

  /** The outcome of a request's payment. */
  record Decision(boolean allowed, int retryAfterSeconds, double usedFraction) {}

  private static final long WRITES_PER_150S = 3_000;

  private final Quota quota;
  private final Time time;
  private final Map<String, Bucket> reads = new ConcurrentHashMap<>();
  private final Map<String, Bucket> writes = new ConcurrentHashMap<>();
  private final Map<String, Long> blockedUntilNanos = new ConcurrentHashMap<>();

  public Throttle(Quota quota) {
    this(quota, Time.SYSTEM);
  }

  /** A throttle whose buckets refill and whose blocks expire on {@code time}. */
  public Throttle(Quota quota, Time time) {
    this.quota = quota;
    this.time = time;
  }

  public Quota quota() {
    return quota;
  }

  Decision read(String appTenant, int cost) {
    return take(reads, appTenant, cost, quota.perTenSeconds, Duration.ofSeconds(10));
  }

  Decision write(String appTenant) {
    return take(writes, appTenant, 1, WRITES_PER_150S, Duration.ofSeconds(150));
  }

  private Decision take(
      Map<String, Bucket> buckets, String key, int cost, long capacity, Duration period) {
    if (quota == Quota.OFF) {
      return new Decision(true, 0, 0);
    }
    long now = time.nanoTime();
    Long blocked = blockedUntilNanos.get(key);
    if (blocked != null && blocked - now > 0) {
      return new Decision(false, seconds(blocked - now), 1);
    }
    Bucket bucket =
        buckets.computeIfAbsent(
            key,
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(capacity)
                            .refillGreedy(capacity, period)
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
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(cost);
    if (probe.isConsumed()) {
      return new Decision(true, 0, 1.0 - (double) probe.getRemainingTokens() / capacity);
    }
    long wait = Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L);
    blockedUntilNanos.put(key, now + wait);
    return new Decision(false, seconds(wait), 1);
  }

  private static int seconds(long nanos) {
    return (int) Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
