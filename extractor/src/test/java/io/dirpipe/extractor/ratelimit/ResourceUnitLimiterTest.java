package io.dirpipe.extractor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResourceUnitLimiterTest {
  @Test
  void aPauseHoldsEveryRequestUntilRetryAfter() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(8_000);
    limiter.pause(Duration.ofMillis(300));
    long t0 = System.nanoTime();
    limiter.acquire(1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void paymentsAreCorrectedByWhatTheServerCharged() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(8_000);
    limiter.acquire(2);
    limiter.settle(2, 5, 0);
    limiter.acquire(2);
    limiter.settle(2, 1, 0);
    assertThat(limiter.paid()).isEqualTo(6);
  }

  @Test
  void theQuotaBoundsTheRate() throws Exception {
    ResourceUnitLimiter limiter =
        new ResourceUnitLimiter(100); // 10 RU/s, starts full like the server's bucket
    long t0 = System.nanoTime();
    for (int i = 0; i < 110; i++) {
      limiter.acquire(1);
    }
    // 100 initial tokens, then 10 more at 10 RU/s: about one second
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isBetween(Duration.ofMillis(700), Duration.ofMillis(2_500));
  }
}
