package io.dirpipe.cli.observe;

import io.dirpipe.core.Time;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.credential.CachingCredential;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The extraction meters, per tenant and collection: runs by status, records, removals, pages,
 * requests, 429s and resource units used (counters); the seconds since the start of the last
 * completed run (freshness: the directory state in the topics is at least this old); the quota the
 * limiter keeps to; the seconds until the tenant's cached token expires.
 */
public final class ExtractMetrics {
  private final MeterRegistry registry;
  private final Time time;
  private final Map<String, Instant> freshAsOf = new ConcurrentHashMap<>();

  public ExtractMetrics(MeterRegistry registry, Time time) {
    this.registry = registry;
    this.time = time;
  }

  /** The quota ({@code extract.quota}, resource units per 10 s) of a tenant's limiter. */
  public void quota(String tenant, int resourceUnitsPer10s) {
    Gauge.builder("dirpipe.extract.quota.resource.units", () -> resourceUnitsPer10s)
        .description("Graph resource units per 10 s the limiter keeps to (extract.quota).")
        .tag("tenant", tenant)
        .register(registry);
  }

  /** Seconds until the earliest of the tenant's cached tokens expires (negative: expired). */
  public void token(String tenant, CachingCredential credential) {
    Gauge.builder(
            "dirpipe.token.expiry.seconds",
            credential,
            c -> {
              OffsetDateTime at = c.earliestExpiry();
              return at == null
                  ? Double.NaN
                  : Duration.between(time.now(), at.toInstant()).toMillis() / 1000.0;
            })
        .description(
            "Seconds until the tenant's cached access token expires; NaN before the first.")
        .tag("tenant", tenant)
        .register(registry);
  }

  /** Counts a finished run; a completed one makes its collection fresh as of its start. */
  public void record(RunSummary r) {
    String tenant = r.tenantId();
    String c = r.collection();
    Counter.builder("dirpipe.extract.runs")
        .description("Runs finished, by status (completed, failed).")
        .tags("tenant", tenant, "collection", c, "status", r.status())
        .register(registry)
        .increment();
    if (!r.status().equals("completed")) {
      return;
    }
    count("dirpipe.extract.records", r, r.records(), "Objects observed.");
    count("dirpipe.extract.removed", r, r.removed(), "Objects reported removed.");
    count("dirpipe.extract.pages", r, r.pages(), "Pages committed.");
    count("dirpipe.extract.requests", r, r.requests(), "Graph requests sent.");
    count("dirpipe.extract.throttled", r, r.throttled(), "Graph requests answered 429.");
    count("dirpipe.extract.resource.units", r, r.resourceUnits(), "Graph resource units used.");
    String key = tenant + "\u0000" + c;
    Instant started = time.now().minusMillis(Math.round(r.seconds() * 1000));
    if (freshAsOf.put(key, started) == null) {
      Gauge.builder(
              "dirpipe.extract.freshness.seconds",
              freshAsOf,
              m -> Duration.between(m.get(key), time.now()).toMillis() / 1000.0)
          .description(
              "Seconds since the start of the last completed run of the collection: the topics"
                  + " show the directory as of at least this long ago.")
          .tags("tenant", tenant, "collection", c)
          .register(registry);
    }
  }

  private void count(String name, RunSummary r, long n, String description) {
    Counter.builder(name)
        .description(description)
        .tags("tenant", r.tenantId(), "collection", r.collection())
        .register(registry)
        .increment(n);
  }
}
