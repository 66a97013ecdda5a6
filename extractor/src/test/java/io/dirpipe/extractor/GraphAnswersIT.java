package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.core.ManualTime;
import io.dirpipe.extractor.graph.GraphFailure;
import io.dirpipe.extractor.graph.GraphTransport;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.sandbox.http.LoopbackServer;
import io.dirpipe.schemas.entity.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each kind of HTTP answer becomes, on a local server playing Graph: every answer one row, its
 * classification (what the run does next), its status and what the message may not contain. Bodies
 * follow Graph's documented error shape (https://learn.microsoft.com/graph/errors) or are what a
 * gateway sends instead.
 */
class GraphAnswersIT {
  static final String SKIPTOKEN = "RFNwdAIAAQAAAD8";
  final ManualTime time = new ManualTime(Instant.parse("2026-03-01T10:00:00Z"));
  final AtomicReference<HostGuardIT.Answer> next = new AtomicReference<>();
  LoopbackServer graph;
  GraphTransport transport;

  @BeforeEach
  void start() {
    graph = LoopbackServer.http(0, List.of(HostGuardIT.surface(ex -> next.get().answer(ex))));
    transport =
        new GraphTransport(
            graph.baseUrl(), new CachingCredential(HostGuardIT.fixedToken()), true, time);
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  GraphFailure failure(HostGuardIT.Answer answer) {
    next.set(answer);
    String url = graph.baseUrl() + "/v1.0/users?$top=999&$skiptoken=" + SKIPTOKEN;
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> transport.get(url, new PageReader(User.getClassSchema()), Map.of()));
    assertThat(t).isInstanceOf(GraphFailure.class);
    assertThat(t.getMessage()).as("no skip token in the message").doesNotContain(SKIPTOKEN);
    return (GraphFailure) t;
  }

  static HostGuardIT.Answer html(int status) {
    return ex ->
        ex.send(
            status,
            "text/html",
            "<html><body><h1>Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8));
  }

  static HostGuardIT.Answer graphError(int status, String code, String retryAfter) {
    return ex -> {
      if (retryAfter != null) {
        ex.responseHeader("Retry-After", retryAfter);
      }
      ex.sendJson(
          status,
          Map.of(
              "error",
              Map.of(
                  "code",
                  code,
                  "message",
                  "message of " + code,
                  "innerError",
                  Map.of("request-id", "r", "date", "2026-03-01T10:00:00"))));
    };
  }

  @Test
  void aGatewaysHtml502KeepsItsStatusAndIsRetried() {
    GraphFailure f = failure(html(502));
    assertThat(f.kind()).isEqualTo(GraphFailure.Kind.RETRIABLE);
    assertThat(f.status()).isEqualTo(502);
    assertThat(f.getMessage())
        .contains("Graph answered 502 for")
        .contains("a text/html body")
        .doesNotContain("<html>");
  }

  @Test
  void anHtml403IsPermanentNotRetried() {
    GraphFailure f = failure(html(403));
    assertThat(f.kind()).isEqualTo(GraphFailure.Kind.PERMANENT);
    assertThat(f.status()).isEqualTo(403);
  }

  @Test
  void graphErrorsAreClassifiedByStatusAndCode() {
    assertThat(failure(graphError(403, "Authorization_RequestDenied", null)).kind())
        .isEqualTo(GraphFailure.Kind.PERMANENT);
    assertThat(failure(graphError(503, "serviceNotAvailable", null)).kind())
        .isEqualTo(GraphFailure.Kind.RETRIABLE);
    assertThat(failure(graphError(410, "resyncRequired", null)).kind())
        .isEqualTo(GraphFailure.Kind.RESYNC);
    assertThat(failure(graphError(400, "syncStateNotFound", null)).kind())
        .isEqualTo(GraphFailure.Kind.RESYNC);
    GraphFailure denied = failure(graphError(403, "Authorization_RequestDenied", null));
    assertThat(denied.code()).isEqualTo("Authorization_RequestDenied");
    assertThat(denied.getMessage()).contains("message of Authorization_RequestDenied");
  }

  @Test
  void retryAfterInSecondsFractionsAndHttpDates() {
    assertThat(failure(graphError(429, "TooManyRequests", "7")).retryAfter())
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(failure(graphError(429, "TooManyRequests", "2.128")).retryAfter())
        .isEqualTo(Duration.ofMillis(2_128));
    assertThat(
            failure(graphError(503, "serviceNotAvailable", "Sun, 01 Mar 2026 10:00:30 GMT"))
                .retryAfter())
        .as("an HTTP-date, read against the injected clock")
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void a200ThatIsNotACollectionPageIsRetriedNeverAnEmptyLastPage() {
    for (Object body :
        List.of(
            Map.of("@odata.context", "c"),
            Map.of("error", Map.of("code", "InvalidAuthenticationToken", "message", "expired")))) {
      GraphFailure f = failure(ex -> ex.sendJson(200, body));
      assertThat(f.kind()).as(body.toString()).isEqualTo(GraphFailure.Kind.RETRIABLE);
    }
  }

  @Test
  void an204WithoutAPageIsRetriedWithoutQuotingTheQuery() {
    GraphFailure f = failure(ex -> ex.sendEmpty(204));
    assertThat(f.kind()).isEqualTo(GraphFailure.Kind.RETRIABLE);
    assertThat(f.getMessage()).contains("without a page").contains("/v1.0/users");
  }

  @Test
  void aWellFormedPageIsAPage() {
    next.set(ex -> ex.sendJson(200, Map.of("value", List.of(Map.of("id", "u1")))));
    assertThat(
            transport
                .get(
                    graph.baseUrl() + "/v1.0/users",
                    new PageReader(User.getClassSchema()),
                    Map.of())
                .items())
        .hasSize(1);
    assertThatThrownBy(
            () -> {
              next.set(html(500));
              transport.get(
                  graph.baseUrl() + "/v1.0/users", new PageReader(User.getClassSchema()), Map.of());
            })
        .isInstanceOf(GraphFailure.class);
  }
}
