package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void secondsFractionsAndHttpDatesAreAllWaits() {
    assertThat(RetryAfter.parse("7", NOW)).isEqualTo(Duration.ofSeconds(7));
    assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("2.128", NOW)).isEqualTo(Duration.ofMillis(2_128));
    assertThat(RetryAfter.parse("0.0001", NOW)).as("rounded up").isEqualTo(Duration.ofMillis(1));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 10:00:05 GMT", NOW))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 09:59:00 GMT", NOW))
        .as("a date in the past")
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void absentOrUnreadableIsNoRetryAfter() {
    assertThat(RetryAfter.parse(null, NOW)).isNull();
    assertThat(RetryAfter.parse("", NOW)).isNull();
    assertThat(RetryAfter.parse("soon", NOW)).isNull();
    assertThat(RetryAfter.parse("-5", NOW)).isNull();
  }
}
