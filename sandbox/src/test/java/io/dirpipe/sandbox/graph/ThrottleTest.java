package io.dirpipe.sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;

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
    Throttle throttle = new Throttle(Throttle.Quota.SMALL);
    int granted = 0;
    Throttle.Decision d;
    while ((d = throttle.read("app/tenant", 5)).allowed()) {
      granted++;
    }
    assertThat(granted).isBetween(700, 710); // 3,500 RU at 5 RU each, plus what refills meanwhile
    assertThat(d.retryAfterSeconds()).isBetween(1, 10);
    assertThat(throttle.read("app/tenant", 1).allowed())
        .as("cheaper request before Retry-After")
        .isFalse();
    assertThat(throttle.read("other-app/tenant", 1).allowed()).isTrue();
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
