package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.core.ManualTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Durations and times as people type them on the command line; relative times on a manual clock.
 */
class DurationsTest {
  final ManualTime time = new ManualTime();

  @Test
  void durationsShortOrIso() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void timesNowRelativeAbsoluteOrEpoch() {
    Instant now = time.now();
    assertThat(Durations.instant("now", time)).isEqualTo(now);
    assertThat(Durations.instant("NOW", time)).isEqualTo(now);
    assertThat(Durations.instant("-P1D", time)).isEqualTo(now.minus(Duration.ofDays(1)));
    assertThat(Durations.instant("-PT2H", time)).isEqualTo(now.minus(Duration.ofHours(2)));
    assertThat(Durations.instant("-90m", time)).isEqualTo(now.minus(Duration.ofMinutes(90)));
    assertThat(Durations.instant("2026-11-24T08:00:00Z", time))
        .isEqualTo(Instant.parse("2026-11-24T08:00:00Z"));
    assertThat(Durations.instant("2026-11-24T09:00:00+01:00", time))
        .isEqualTo(Instant.parse("2026-11-24T08:00:00Z"));
    assertThat(Durations.instant("1764000000000", time))
        .isEqualTo(Instant.ofEpochMilli(1_764_000_000_000L));
    time.advance(Duration.ofHours(1));
    assertThat(Durations.instant("now", time))
        .as("read when parsed")
        .isEqualTo(now.plusSeconds(3600));
  }

  @Test
  void aTimeItCannotReadIsNamedWithWhatToType() {
    for (String bad : new String[] {"yesterday", "-", "-P", "2026-11-24T08:00:00", ""}) {
      assertThatThrownBy(() -> Durations.instant(bad, time))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "' is not a time")
          .hasMessageContaining("-P1D");
    }
  }
}
