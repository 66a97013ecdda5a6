package io.dirpipe.extractor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void eachRetryWaitsLongerWithinItsJitterUntilTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(30));
    for (int i = 0; i < 200; i++) {
      assertThat(b.delay(1)).isBetween(Duration.ofMillis(160), Duration.ofMillis(240));
      assertThat(b.delay(3)).isBetween(Duration.ofMillis(640), Duration.ofMillis(960));
      assertThat(b.delay(20)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(36));
    }
  }
}
