package io.dirpipe.sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  @Test
  void sizeClassesFollowTheTenantSize() {
    assertThat(Throttle.Quota.forUsers(10)).isEqualTo(Throttle.Quota.SMALL);
    assertThat(Throttle.Quota.forUsers(50)).isEqualTo(Throttle.Quota.MEDIUM);
    assertThat(Throttle.Quota.forUsers(500)).isEqualTo(Throttle.Quota.MEDIUM);
    assertThat(Throttle.Quota.forUsers(501)).isEqualTo(Throttle.Quota.LARGE);
  }

  @Test
  void aPairIsBlockedUntilRetryAfterOtherPairsAreNot() {
    ManualTime time = new ManualTime();
    Throttle throttle = new Throttle(Throttle.Quota.SMALL, time);
    int granted = 0;
    Throttle.Decision d;
    while ((d = throttle.read("app/tenant", 5)).allowed()) {
      granted++;
    }
    assertThat(granted).as("3,500 RU at 5 RU each, no refill on a still clock").isEqualTo(700);
    assertThat(d.retryAfterSeconds()).isEqualTo(1);
    time.advance(Duration.ofMillis(999));
    assertThat(throttle.read("app/tenant", 1).allowed())
        .as("cheaper request before Retry-After")
        .isFalse();
    assertThat(throttle.read("other-app/tenant", 1).allowed()).isTrue();
    time.advance(Duration.ofMillis(1));
    assertThat(throttle.read("app/tenant", 5).allowed()).as("at Retry-After").isTrue();
  }

  @Test
  void aLongerShortfallAsksForTheWholeRefillTime() {
    ManualTime time = new ManualTime();
    Throttle throttle = new Throttle(Throttle.Quota.SMALL, time);
    assertThat(throttle.read("a/t", 3_500).allowed()).isTrue();
    // 3,500 RU refill in 10 s: 1,750 RU take 5 s
    assertThat(throttle.read("a/t", 1_750).retryAfterSeconds()).isEqualTo(5);
  }

  @Test
  void usedFractionRisesAsTheBucketEmpties() {
    Throttle throttle = new Throttle(Throttle.Quota.SMALL);
    assertThat(throttle.read("a/t", 100).usedFraction()).isLessThan(0.1);
    assertThat(throttle.read("a/t", 2_800).usedFraction()).isGreaterThan(0.8);
  }

  @Test
  void offNeverThrottles() {
    Throttle throttle = new Throttle(Throttle.Quota.OFF);
    for (int i = 0; i < 10_000; i++) {
      assertThat(throttle.read("a/t", 5).allowed()).isTrue();
    }
  }
}
