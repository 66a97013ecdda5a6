package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualTimeTest {
  @Test
  void sleepingMovesBothClocksByExactlyTheWait() throws Exception {
    ManualTime time = new ManualTime(Instant.parse("2026-01-01T00:00:00Z"));
    long start = time.nanoTime();
    time.sleep(Duration.ofSeconds(7));
    time.advance(Duration.ofMillis(5));
    assertThat(time.since(start)).isEqualTo(Duration.ofMillis(7005));
    assertThat(time.now()).isEqualTo(Instant.parse("2026-01-01T00:00:07.005Z"));
    assertThat(time.clock().instant()).isEqualTo(time.now());
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void anInterruptedSleeperThrowsAndTimeStands() {
    ManualTime time = new ManualTime();
    long start = time.nanoTime();
    Thread.currentThread().interrupt();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> time.sleep(Duration.ofSeconds(1)))
        .isInstanceOf(InterruptedException.class);
    assertThat(time.since(start)).isZero();
  }
}
