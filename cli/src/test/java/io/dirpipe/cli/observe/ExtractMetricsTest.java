package io.dirpipe.cli.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import io.dirpipe.core.ManualTime;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.credential.CachingCredential;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Freshness, run counters and token expiry on a manual clock. */
class ExtractMetricsTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  final ManualTime time = new ManualTime(Instant.parse("2026-12-03T10:00:00Z"));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ExtractMetrics metrics = new ExtractMetrics(registry, time);

  static RunSummary run(String collection, String status, double seconds) {
    return new RunSummary(
        TENANT,
        collection,
        "run-1",
        "delta",
        10,
        1,
        0,
        2,
        3,
        1,
        6,
        seconds,
        "d",
        status,
        status.equals("completed") ? null : "HTTP 503",
        1);
  }

  double freshness(String collection) {
    return registry
        .get("dirpipe.extract.freshness.seconds")
        .tags("tenant", TENANT, "collection", collection)
        .gauge()
        .value();
  }

  @Test
  void freshnessRisesWhileNoRunCompletesAndFallsAfterOne() {
    metrics.record(run("users", "completed", 4.0)); // started 4 s ago
    assertThat(freshness("users")).isEqualTo(4.0);
    time.advance(Duration.ofSeconds(60));
    assertThat(freshness("users")).isEqualTo(64.0);
    metrics.record(run("users", "failed", 1.0)); // a failed run makes nothing fresher
    time.advance(Duration.ofSeconds(6));
    assertThat(freshness("users")).isEqualTo(70.0);
    metrics.record(run("users", "completed", 2.5));
    assertThat(freshness("users")).isEqualTo(2.5);
    assertThat(
            registry.find("dirpipe.extract.freshness.seconds").tag("collection", "groups").gauge())
        .as("no freshness before a collection's first completed run")
        .isNull();
  }

  @Test
  void countersAddUpPerTenantAndCollectionAndRunsCountByStatus() {
    metrics.record(run("users", "completed", 1));
    metrics.record(run("users", "completed", 1));
    metrics.record(run("users", "failed", 1));
    assertThat(registry.get("dirpipe.extract.records").tags("tenant", TENANT).counter().count())
        .isEqualTo(20);
    assertThat(registry.get("dirpipe.extract.throttled").counter().count()).isEqualTo(2);
    assertThat(registry.get("dirpipe.extract.resource.units").counter().count()).isEqualTo(12);
    assertThat(registry.get("dirpipe.extract.runs").tag("status", "completed").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("dirpipe.extract.runs").tag("status", "failed").counter().count())
        .isEqualTo(1);
  }

  @Test
  void tokenExpiryCountsDownFromTheCachedToken() {
    CachingCredential credential =
        new CachingCredential(
            request ->
                Mono.just(
                    new AccessToken(
                        "t", time.now().plus(Duration.ofMinutes(60)).atOffset(ZoneOffset.UTC))),
            time);
    metrics.token(TENANT, credential);
    metrics.quota(TENANT, 8000);
    assertThat(registry.get("dirpipe.token.expiry.seconds").gauge().value()).isNaN();
    credential.getTokenSync(
        new TokenRequestContext().addScopes("https://graph.microsoft.com/.default"));
    time.advance(Duration.ofMinutes(10));
    assertThat(registry.get("dirpipe.token.expiry.seconds").gauge().value()).isEqualTo(3000.0);
    assertThat(registry.get("dirpipe.extract.quota.resource.units").gauge().value())
        .isEqualTo(8000.0);
  }
}
