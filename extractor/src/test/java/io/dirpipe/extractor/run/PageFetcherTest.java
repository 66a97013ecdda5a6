package io.dirpipe.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.core.ManualTime;
import io.dirpipe.core.RetryPolicy;
import io.dirpipe.extractor.graph.GraphFailure;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageSource;
import io.dirpipe.extractor.ratelimit.ResourceUnitLimiter;
import io.dirpipe.schemas.Mode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retry policy of one page, on a manual clock: what is waited, and what is given up. */
class PageFetcherTest {
  static final Page OK = new Page(List.of(), null, "delta", 1, 0);

  final ManualTime time = new ManualTime();
  final List<Duration> requestedAt = new ArrayList<>();
  final Deque<RuntimeException> script = new ArrayDeque<>();
  final long start = time.nanoTime();
  final RunState state = RunState.fresh("t", "users", Mode.FULL, null, time);

  final PageSource graph =
      (url, reader, headers) -> {
        requestedAt.add(time.since(start));
        RuntimeException next = script.poll();
        if (next != null) {
          throw next;
        }
        return OK;
      };

  PageFetcher fetcher(int maxAttempts) {
    return fetcher(RetryPolicy.of(maxAttempts, Duration.ofMinutes(10)));
  }

  PageFetcher fetcher(RetryPolicy policy) {
    return new PageFetcher(graph, new ResourceUnitLimiter(8_000, time), policy, time);
  }

  static GraphFailure failure(GraphFailure.Kind kind, int status, Duration retryAfter) {
    return new GraphFailure(kind, status, null, retryAfter, "HTTP " + status, null);
  }

  @Test
  void a429WithRetryAfterSevenSendsNothingForExactlySevenSecondsThenOneRequest() throws Exception {
    script.add(failure(GraphFailure.Kind.THROTTLED, 429, Duration.ofSeconds(7)));
    assertThat(fetcher(3).fetch("https://graph/users", null, Map.of(), 1, state, "page 3"))
        .isSameAs(OK);
    assertThat(requestedAt).containsExactly(Duration.ZERO, Duration.ofSeconds(7));
    assertThat(state.throttled).isEqualTo(1);
    assertThat(state.requests).isEqualTo(2);
  }

  @Test
  void aRetriable5xxWaitsItsRetryAfterWhenGivenAndBacksOffOtherwise() throws Exception {
    script.add(failure(GraphFailure.Kind.RETRIABLE, 503, Duration.ofSeconds(3)));
    script.add(failure(GraphFailure.Kind.RETRIABLE, 500, null));
    fetcher(5).fetch("https://graph/users", null, Map.of(), 1, state, "page 3");
    assertThat(requestedAt).hasSize(3);
    assertThat(requestedAt.get(1)).isEqualTo(Duration.ofSeconds(3));
    assertThat(requestedAt.get(2).minus(requestedAt.get(1)))
        .as("second retry: full jitter below 200 ms * 2")
        .isBetween(Duration.ZERO, Duration.ofMillis(400));
  }

  @Test
  void retriableFailuresGiveUpAfterTheAttemptLimitNamingThePage() {
    for (int i = 0; i < 3; i++) {
      script.add(failure(GraphFailure.Kind.RETRIABLE, 502, Duration.ofSeconds(1)));
    }
    assertThatThrownBy(
            () -> fetcher(3).fetch("https://graph/users", null, Map.of(), 1, state, "users page 3"))
        .isInstanceOf(ExtractionException.class)
        .hasMessageContaining("users page 3 failed 3 attempts over 2 s")
        .hasCauseInstanceOf(GraphFailure.class);
    assertThat(requestedAt).hasSize(3);
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void retriesStopAtTheDeadlineEvenWithAttemptsLeft() {
    for (int i = 0; i < 5; i++) {
      script.add(failure(GraphFailure.Kind.RETRIABLE, 503, Duration.ofSeconds(40)));
    }
    assertThatThrownBy(
            () ->
                fetcher(RetryPolicy.of(10, Duration.ofMinutes(1)))
                    .fetch("https://graph/users", null, Map.of(), 1, state, "users page 3"))
        .isInstanceOf(ExtractionException.class)
        .hasMessageContaining("users page 3 failed 2 attempts over 40 s")
        .hasMessageContaining("HTTP 503");
    assertThat(requestedAt).containsExactly(Duration.ZERO, Duration.ofSeconds(40));
  }

  @Test
  void throttlingIsWaitedOutWithoutSpendingAttemptsButNotPastTheDeadline() {
    for (int i = 0; i < 100; i++) {
      script.add(failure(GraphFailure.Kind.THROTTLED, 429, Duration.ofSeconds(10)));
    }
    assertThatThrownBy(
            () ->
                fetcher(RetryPolicy.of(2, Duration.ofMinutes(1)))
                    .fetch("https://graph/users", null, Map.of(), 1, state, "users page 3"))
        .isInstanceOf(ExtractionException.class)
        .hasMessageContaining("users page 3 was throttled 7 attempts over 60 s; giving up");
    assertThat(requestedAt).hasSize(7).last().isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void anExpiredDeltaTokenAsksForAResyncAndAForbiddenPageFailsAtOnce() {
    script.add(failure(GraphFailure.Kind.RESYNC, 410, null));
    assertThatThrownBy(() -> fetcher(3).fetch("https://graph/d", null, Map.of(), 1, state, "delta"))
        .isInstanceOf(PageFetcher.ResyncRequired.class);
    script.add(failure(GraphFailure.Kind.PERMANENT, 403, null));
    assertThatThrownBy(() -> fetcher(3).fetch("https://graph/u", null, Map.of(), 1, state, "users"))
        .isInstanceOf(ExtractionException.class)
        .hasMessageContaining("HTTP 403");
    assertThat(time.slept()).isZero();
  }
}
