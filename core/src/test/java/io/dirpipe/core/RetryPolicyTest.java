package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Attempts, deadline, full jitter and Retry-After, on a manual clock. */
class RetryPolicyTest {
  final ManualTime time = new ManualTime();
  final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(8));

  @Test
  void fullJitterWaitsBetweenZeroAndTheDoublingCeilingCappedAtTheCap() {
    RetryPolicy.Retries top = policy.start(time, () -> 0.999_999);
    assertThat(top.next(null)).isEqualTo(Duration.ofMillis(999));
    assertThat(top.next(null)).isEqualTo(Duration.ofMillis(1999));
    assertThat(top.next(null)).isEqualTo(Duration.ofMillis(3999));
    assertThat(top.next(null)).as("capped at 8 s").isEqualTo(Duration.ofMillis(7999));
    assertThat(top.next(null)).as("fifth failure of five attempts: spent").isNull();
    RetryPolicy.Retries bottom = policy.start(time, () -> 0.0);
    assertThat(bottom.next(null)).isEqualTo(Duration.ZERO);
    assertThat(policy.ceiling(10)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void retryAfterIsWaitedAsTheServerAsked() {
    RetryPolicy.Retries r = policy.start(time, () -> 0.5);
    assertThat(r.next(Duration.ofMillis(2128))).isEqualTo(Duration.ofMillis(2128));
  }

  @Test
  void aWaitThatWouldEndPastTheDeadlineGivesUpNow() throws Exception {
    RetryPolicy.Retries r = policy.start(time, () -> 0.5);
    time.sleep(Duration.ofSeconds(50));
    assertThat(r.next(Duration.ofSeconds(10))).as("50 s + 10 s is the deadline").isNotNull();
    time.sleep(Duration.ofSeconds(10));
    assertThat(r.next(Duration.ofMillis(1))).as("60.001 s is past it").isNull();
    assertThat(r.failures()).isEqualTo(2);
    assertThat(r.summary()).isEqualTo("2 attempts over 60 s");
  }

  @Test
  void oneAttemptMeansNoRetry() {
    assertThat(RetryPolicy.of(1, Duration.ofMinutes(1)).start(time).next(null)).isNull();
    assertThatThrownBy(() -> RetryPolicy.of(0, Duration.ofMinutes(1)))
        .hasMessageContaining("maxAttempts must be at least 1");
  }
}
