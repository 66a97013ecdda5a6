package io.dirpipe.extractor.run;

import io.dirpipe.core.Time;
import io.dirpipe.extractor.graph.GraphFailure;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.extractor.graph.PageSource;
import io.dirpipe.extractor.ratelimit.Backoff;
import io.dirpipe.extractor.ratelimit.ResourceUnitLimiter;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one page, paying for it first and retrying by kind of failure: 429 waits for Retry-After
 * (all requests of the tenant pause), 5xx, resets and malformed bodies back off and retry up to the
 * attempt limit; an expired delta token is a {@link ResyncRequired}; anything else fails the run.
 */
public final class PageFetcher {
  private static final Logger log = LoggerFactory.getLogger(PageFetcher.class);
  private static final int MAX_THROTTLED = 500;

  private final PageSource transport;
  private final Time time;
  private final ResourceUnitLimiter limiter;
  private final int maxAttempts;

  public PageFetcher(
      PageSource transport, ResourceUnitLimiter limiter, int maxAttempts, Time time) {
    this.transport = transport;
    this.time = time;
    this.limiter = limiter;
    this.maxAttempts = maxAttempts;
  }

  /** Signals that Graph no longer knows the delta token: start a FULL run. */
  static final class ResyncRequired extends RuntimeException {
    ResyncRequired(String message, Throwable cause) {
      super(message, cause);
    }
  }

  Page fetch(
      String url,
      PageReader reader,
      Map<String, String> headers,
      int cost,
      RunState state,
      String what)
      throws InterruptedException {
    int failures = 0;
    int throttles = 0;
    while (true) {
      limiter.acquire(cost);
      synchronized (state) {
        state.requests++;
      }
      try {
        Page page = transport.get(url, reader, headers);
        limiter.settle(cost, page.resourceUnits(), page.limitPercentage());
        synchronized (state) {
          state.resourceUnits += page.resourceUnits() >= 0 ? page.resourceUnits() : cost;
        }
        return page;
      } catch (GraphFailure f) {
        switch (f.kind()) {
          case THROTTLED -> {
            synchronized (state) {
              state.throttled++;
            }
            throttles++;
            Duration wait =
                f.retryAfter() != null ? f.retryAfter() : Backoff.DEFAULT.delay(throttles);
            limiter.pause(wait);
            if (throttles > MAX_THROTTLED) {
              throw new ExtractionException(
                  what + " was throttled " + MAX_THROTTLED + " times in a row; giving up", f);
            }
            log.debug("{} throttled; waiting {} ms", what, wait.toMillis());
          }
          case RETRIABLE -> {
            if (++failures >= maxAttempts) {
              throw new ExtractionException(
                  what + " failed " + failures + " times; last: " + f.getMessage(), f);
            }
            Duration wait =
                f.retryAfter() != null ? f.retryAfter() : Backoff.DEFAULT.delay(failures);
            log.info(
                "{} failed ({}); retry {} of {} in {} ms",
                what,
                f.getMessage(),
                failures,
                maxAttempts - 1,
                wait.toMillis());
            time.sleep(wait);
          }
          case RESYNC -> throw new ResyncRequired(f.getMessage(), f);
          default -> throw new ExtractionException(what + ": " + f.getMessage(), f);
        }
      }
    }
  }
}
