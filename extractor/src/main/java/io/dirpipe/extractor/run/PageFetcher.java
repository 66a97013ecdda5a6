package io.dirpipe.extractor.run;

import io.dirpipe.core.RetryPolicy;
import io.dirpipe.core.Time;
import io.dirpipe.extractor.graph.GraphFailure;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.extractor.graph.PageSource;
import io.dirpipe.extractor.ratelimit.ResourceUnitLimiter;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one page, paying for it first and retrying by kind of failure, under the run's {@link
 * RetryPolicy}: 429 waits for Retry-After (all requests of the tenant pause) for as long as the
 * policy's deadline allows, without counting as an attempt; 5xx, resets and malformed bodies wait
 * for Retry-After or back off with full jitter, up to the attempt limit and the deadline; an
 * expired delta token is a {@link ResyncRequired}; anything else fails the run.
 */
public final class PageFetcher {
  private static final Logger log = LoggerFactory.getLogger(PageFetcher.class);

  private final PageSource transport;
  private final Time time;
  private final ResourceUnitLimiter limiter;
  private final RetryPolicy policy;
  private final RetryPolicy throttling;

  public PageFetcher(
      PageSource transport, ResourceUnitLimiter limiter, RetryPolicy policy, Time time) {
    this.transport = transport;
    this.time = time;
    this.limiter = limiter;
    this.policy = policy;
    this.throttling =
        new RetryPolicy(Integer.MAX_VALUE, policy.deadline(), policy.initial(), policy.cap());
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
    RetryPolicy.Retries failures = policy.start(time);
    RetryPolicy.Retries throttles = throttling.start(time);
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
            Duration wait = throttles.next(f.retryAfter());
            if (wait == null) {
              throw new ExtractionException(
                  what + " was throttled " + throttles.summary() + "; giving up", f);
            }
            log.debug("{} throttled; waiting {} ms", what, wait.toMillis());
            limiter.pause(wait);
          }
          case RETRIABLE -> {
            Duration wait = failures.next(f.retryAfter());
            if (wait == null) {
              throw new ExtractionException(
                  what + " failed " + failures.summary() + "; last: " + f.getMessage(), f);
            }
            log.info(
                "{} failed ({}); retry {} of {} in {} ms",
                what,
                f.getMessage(),
                failures.failures(),
                policy.maxAttempts() - 1,
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
