package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.core.ManualTime;
import io.dirpipe.sandbox.graph.Throttle;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resource-unit bucket of FACTS.md §7: headers near the limit, 429 with Retry-After past it.
 */
class ThrottlingIT {
  static final ManualTime time = new ManualTime(Instant.now());
  static Sandbox sandbox;
  static SandboxClients clients;

  @BeforeAll
  static void start() {
    // the sandbox's clock moves only when the test says: no refill while requests are counted
    sandbox =
        Sandbox.start(Sandbox.Options.defaults(30).withQuota(Throttle.Quota.SMALL).withTime(time));
    clients = new SandboxClients(sandbox);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void exhaustingTheQuotaAnswers429AndAnEarlyRetryIsThrottledAgain() throws Exception {
    String token = clients.graphToken();
    HttpResponse<String> r = null;
    boolean sawPercentage = false;
    int requests = 0;
    // 3,500 RU per 10 s; users without $select cost 2 RU; the clock stands still: exactly 1,750
    while (requests++ < 20_000) {
      r = clients.get("/v1.0/users", token);
      if (r.statusCode() == 429) {
        break;
      }
      assertThat(r.statusCode()).isEqualTo(200);
      sawPercentage |= r.headers().firstValue("x-ms-throttle-limit-percentage").isPresent();
    }
    assertThat(r.statusCode()).as("throttled after %d requests", requests).isEqualTo(429);
    assertThat(requests).as("3,500 RU at 2 RU each, then the one refused").isEqualTo(1_751);
    assertThat(sawPercentage).as("x-ms-throttle-limit-percentage above 80%").isTrue();
    int retryAfter = Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).as("the 2 RU refill in 6 ms; Graph's shortest Retry-After").isEqualTo(1);
    assertThat(r.headers().firstValue("x-ms-throttle-scope").orElseThrow())
        .startsWith("Tenant_Application/Read/" + sandbox.application().clientId() + "/");
    assertThat(r.headers().firstValue("x-ms-throttle-information"))
        .contains("ResourceUnitLimitExceeded");
    JsonNode error = SandboxClients.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo("TooManyRequests");

    time.advance(Duration.ofMillis(999));
    HttpResponse<String> early = clients.get("/v1.0/users?$select=id", token);
    assertThat(early.statusCode()).as("retry 1 ms before Retry-After").isEqualTo(429);

    time.advance(Duration.ofMillis(1));
    assertThat(clients.get("/v1.0/users?$select=id", token).statusCode())
        .as("exactly Retry-After later")
        .isEqualTo(200);
  }
}
