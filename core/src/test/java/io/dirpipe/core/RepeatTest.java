package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code --follow} / {@code run.interval} schedule on a manual clock. */
class RepeatTest {
  final ManualTime time = new ManualTime(Instant.parse("2026-03-01T00:00:00Z"));

  @Test
  void theIntervalIsThePauseBetweenTheEndOfOneRunAndTheStartOfTheNext() throws Exception {
    Repeat repeat = new Repeat(time, Duration.ofSeconds(5));
    List<Instant> starts = new ArrayList<>();
    repeat.run(
        () -> {
          starts.add(time.now());
          time.advance(Duration.ofSeconds(2)); // the run takes 2 s
          if (starts.size() == 3) {
            repeat.stop();
          }
        });
    assertThat(starts)
        .containsExactly(
            Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2026-03-01T00:00:07Z"),
            Instant.parse("2026-03-01T00:00:14Z"));
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @Test
  void aStopBeforeThePauseStartsNoOtherRun() throws Exception {
    Repeat repeat = new Repeat(time, Duration.ofMinutes(5));
    int[] runs = {0};
    repeat.run(
        () -> {
          runs[0]++;
          repeat.stop();
        });
    assertThat(runs[0]).isEqualTo(1);
    assertThat(time.sleeps()).as("no pause after a stop").isEmpty();
  }

  @Test
  void withoutAPauseTheTaskRunsOnce() throws Exception {
    int[] runs = {0};
    new Repeat(time, null).run(() -> runs[0]++);
    assertThat(runs[0]).isEqualTo(1);
  }

  @Test
  void aFailedRunEndsTheRepetition() {
    Repeat repeat = new Repeat(time, Duration.ofSeconds(1));
    assertThatThrownBy(
            () ->
                repeat.run(
                    () -> {
                      throw new IllegalStateException("Graph is down");
                    }))
        .hasMessage("Graph is down");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void onTheSystemClockAStopEndsAPauseAtOnce() throws Exception {
    Repeat repeat = new Repeat(Time.SYSTEM, Duration.ofHours(1));
    Thread stopper = new Thread(repeat::stop);
    int[] runs = {0};
    repeat.run(
        () -> {
          runs[0]++;
          stopper.start(); // stops while (or before) the hour-long pause: the test ends at once
        });
    assertThat(runs[0]).isEqualTo(1);
  }
}
