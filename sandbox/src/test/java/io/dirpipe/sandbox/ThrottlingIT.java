package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.graph.Throttle;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resource-unit bucket of FACTS.md §7: headers near the limit, 429 with Retry-After past it.
 */
class ThrottlingIT {
  static Sandbox sandbox;
  static SandboxClients clients;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(30).withQuota(Throttle.Quota.SMALL));
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
    // 3,500 RU per 10 s; users without $select cost 2 RU: the bucket empties within ~1,800
    // requests plus what refills meanwhile (more on a slow or busy machine).
    long started = System.nanoTime();
    while (requests++ < 20_000) {
      r = clients.get("/v1.0/users", token);
      if (r.statusCode() == 429) {
        break;
      }
      assertThat(r.statusCode()).isEqualTo(200);
      sawPercentage |= r.headers().firstValue("x-ms-throttle-limit-percentage").isPresent();
    }
    assertThat(r.statusCode()).as("throttled after %d requests", requests).isEqualTo(429);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(requests)
        .as("3,500 RU at 2 RU each, plus the refill of %.1f s meanwhile", seconds)
        .isBetween(1_750, (int) ((3_500 + 350 * seconds) / 2) + 50);
    assertThat(sawPercentage).as("x-ms-throttle-limit-percentage above 80%").isTrue();
    assertThat(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1, 10);
    assertThat(r.headers().firstValue("x-ms-throttle-scope").orElseThrow())
        .startsWith("Tenant_Application/Read/" + sandbox.application().clientId() + "/");
    assertThat(r.headers().firstValue("x-ms-throttle-information"))
        .contains("ResourceUnitLimitExceeded");
    JsonNode error = SandboxClients.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo("TooManyRequests");

    HttpResponse<String> early = clients.get("/v1.0/users?$select=id", token);
    assertThat(early.statusCode()).as("retry before Retry-After").isEqualTo(429);

    Thread.sleep(
        Integer.parseInt(early.headers().firstValue("Retry-After").orElseThrow()) * 1000L + 200);
    assertThat(clients.get("/v1.0/users?$select=id", token).statusCode())
        .as("after Retry-After")
        .isEqualTo(200);
  }
}
