package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.graph.Throttle;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults set through the control API reach clients as they would from a broken service or network.
 */
class FaultsIT {
  static Sandbox sandbox;
  static SandboxClients clients;
  static String token;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(1_000).withQuota(Throttle.Quota.OFF));
    clients = new SandboxClients(sandbox);
    token = clients.graphToken();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @AfterEach
  void clear() throws Exception {
    clients.send("DELETE", "/_sandbox/faults", null);
  }

  private static void faults(String json) throws Exception {
    HttpResponse<String> r =
        clients.send("PUT", "/_sandbox/faults", json, "Content-Type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** A failure of the sandbox itself is a 500 the client can read, not a cut connection. */
  @Test
  void aHandlerThatFailsAnswers500NamingTheRequest() throws Exception {
    sandbox
        .graph()
        .beforeAnswer(
            request -> {
              throw new IllegalStateException("a broken test hook");
            });
    try {
      HttpResponse<String> r = clients.get("/v1.0/users?$top=5", token);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("SandboxFailure", "GET /v1.0/users", "a broken test hook");
    } finally {
      sandbox.graph().beforeAnswer(request -> {});
    }
  }

  @Test
  void resetConnectionsAndTruncatedBodiesFailTheClient() throws Exception {
    faults("{\"pReset\": 1.0}");
    assertThatThrownBy(() -> clients.get("/v1.0/users?$top=999", token))
        .isInstanceOf(IOException.class);

    faults("{\"pReset\": 0, \"pTruncate\": 1.0}");
    HttpResponse<String> cut = clients.get("/v1.0/users?$top=999", token);
    assertThat(cut.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> SandboxClients.json(cut))
        .as("half a JSON document")
        .isInstanceOf(IOException.class);

    faults("{\"pTruncate\": 0}");
    assertThat(clients.get("/v1.0/users?$top=999", token).statusCode()).isEqualTo(200);
  }

  @Test
  void injectedErrorsUseGraphsEnvelopeAndAreSeededRepeatably() throws Exception {
    faults("{\"p429\": 0.3, \"p503\": 0.2, \"seed\": 11}");
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> r = clients.get("/v1.0/users?$top=1", token);
      first.append(r.statusCode()).append(' ');
      if (r.statusCode() == 429) {
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(SandboxClients.json(r).path("error").path("code").asText())
            .isEqualTo("TooManyRequests");
      }
    }
    assertThat(first.toString()).contains("429", "503", "200");

    faults("{\"p429\": 0.3, \"p503\": 0.2, \"seed\": 11}");
    StringBuilder second = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      second.append(clients.get("/v1.0/users?$top=1", token).statusCode()).append(' ');
    }
    assertThat(second.toString()).isEqualTo(first.toString());
  }

  @Test
  void shortTokenLifetimesAndStatsAreSetAndReported() throws Exception {
    faults("{\"tokenLifetimeSeconds\": 5}");
    JsonNode claims =
        SandboxClients.claims(
            clients.token(clients.appCredential(), "https://management.azure.com/.default"));
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(5);

    JsonNode stats = SandboxClients.json(clients.get("/_sandbox/stats", null));
    assertThat(stats.path("totals").path("tokensIssued").asLong()).isPositive();
    assertThat(stats.path("requests").toString()).contains("GET /{collection} 200");

    HttpResponse<String> bad =
        clients.send(
            "PUT", "/_sandbox/faults", "{\"pNope\": 1}", "Content-Type", "application/json");
    assertThat(bad.statusCode()).isEqualTo(400);
  }
}
