package io.dirpipe.sandbox.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Faults injected into Graph and Logs Ingestion answers, set per run through the control API. All
 * probabilities are per request, in [0, 1]. Random draws come from a seeded generator.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@com.fasterxml.jackson.annotation.JsonAutoDetect(
    fieldVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.PUBLIC_ONLY,
    getterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public final class Faults {
  /** What a request suffers. */
  public enum Outcome {
    NONE,
    THROTTLE,
    ERROR_500,
    ERROR_503,
    ERROR_504,
    RESET,
    TRUNCATE
  }

  public double p429;
  public double p500;
  public double p503;
  public double p504;
  public double pReset;
  public double pTruncate;

  /** Added to every answer. */
  public long latencyMs;

  /** Added per KB of body, modelling bandwidth. */
  public double latencyPerKbMs;

  /** The next this many token requests answer 503 (AADSTS90033, a transient error). */
  public int tokenUnavailable;

  /** Lifetime of tokens issued from now on; 0 = the default. */
  public long tokenLifetimeSeconds;

  /** Age after which a delta token is refused with syncStateNotFound (Graph: 7 days). */
  public long deltaTokenTtlSeconds = Duration.ofDays(7).toSeconds();

  /** The next delta request with a token answers 410 Gone (forced resync); then resets. */
  public boolean resyncNext;

  /** Retry-After of injected 429s, seconds. */
  public int retryAfterSeconds = 1;

  /**
   * A property whose {@code $filter} clauses Graph refuses here (400 {@code
   * Request_UnsupportedQuery}), as a tenant or a later API version might; null: none.
   */
  public String refuseFilterOn;

  public long seed = 1;

  private transient SplittableRandom random;

  public synchronized Outcome roll() {
    if (random == null) {
      random = new SplittableRandom(seed);
    }
    double x = random.nextDouble();
    double[] p = {p429, p500, p503, p504, pReset, pTruncate};
    Outcome[] o = {
      Outcome.THROTTLE,
      Outcome.ERROR_500,
      Outcome.ERROR_503,
      Outcome.ERROR_504,
      Outcome.RESET,
      Outcome.TRUNCATE
    };
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      if (x < acc) {
        return o[i];
      }
    }
    return Outcome.NONE;
  }

  /** Restarts the random sequence from {@link #seed} (after the settings changed). */
  public synchronized void reseed() {
    random = null;
  }

  /** True when this token request is to answer 503 (counts it). */
  public synchronized boolean takeTokenUnavailable() {
    if (tokenUnavailable <= 0) {
      return false;
    }
    tokenUnavailable--;
    return true;
  }

  public synchronized boolean takeResync() {
    boolean r = resyncNext;
    resyncNext = false;
    return r;
  }

  /** Sleeps the configured latency for a body of that size; returns the milliseconds slept. */
  public long delay(int bodyBytes) {
    long ms = latencyMs + (long) (latencyPerKbMs * bodyBytes / 1024.0);
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ms;
  }
}
