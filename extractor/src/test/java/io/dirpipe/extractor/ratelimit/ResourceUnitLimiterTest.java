package io.dirpipe.extractor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResourceUnitLimiterTest {
  final ManualTime time = new ManualTime();

  @Test
  void aPauseHoldsEveryRequestForExactlyRetryAfter() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(8_000, time);
    limiter.pause(Duration.ofSeconds(7));
    limiter.acquire(1);
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(7));
    limiter.acquire(1);
    assertThat(time.slept())
        .as("no pause once Retry-After passed")
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aShorterRetryAfterDoesNotShortenAPauseInForce() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(8_000, time);
    limiter.pause(Duration.ofSeconds(10));
    limiter.pause(Duration.ofSeconds(2));
    limiter.acquire(1);
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void paymentsAreCorrectedByWhatTheServerCharged() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(8_000, time);
    limiter.acquire(2);
    limiter.settle(2, 5, 0); // charged 3 more than predicted
    assertThat(limiter.available()).isEqualTo(7_995);
    limiter.acquire(2);
    limiter.settle(2, 1, 0); // one unit back
    assertThat(limiter.paid()).isEqualTo(6);
    assertThat(limiter.available()).isEqualTo(7_994);
    assertThat(time.slept()).isZero();
  }

  @Test
  void closeToTheServersLimitEveryRequestCostsMore() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(8_000, time);
    limiter.acquire(10);
    limiter.settle(10, 10, 0.9); // 90 % of the server's limit: 10 * 0.1 * 5 = 5 extra
    assertThat(limiter.available()).isEqualTo(7_985);
  }

  @Test
  void theQuotaRefillsAtItsRateAndNoFaster() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(100, time); // 10 RU/s, starts full
    for (int i = 0; i < 100; i++) {
      limiter.acquire(1);
    }
    assertThat(time.slept()).as("the burst the bucket starts with").isZero();
    for (int i = 0; i < 10; i++) {
      limiter.acquire(1);
    }
    assertThat(time.slept()).as("ten more units at 10 RU/s").isEqualTo(Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(10));
    assertThat(limiter.available()).as("refilled to capacity, not beyond").isEqualTo(100);
  }

  @Test
  void anOverchargeIsPaidBackByWaiting() throws Exception {
    ResourceUnitLimiter limiter = new ResourceUnitLimiter(100, time);
    limiter.acquire(1);
    limiter.settle(1, 101, 0); // the server charged 100 more than there was: 1 unit in debt
    limiter.acquire(1);
    assertThat(time.slept())
        .as("debt of 1 plus the unit itself at 10 RU/s")
        .isEqualTo(Duration.ofMillis(200));
  }
}
