package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientSecretCredentialBuilder;
import io.dirpipe.core.LogCapture;
import io.dirpipe.core.ManualTime;
import io.dirpipe.extractor.publish.Checkpoints;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.LoopbackServer;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.CheckpointKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/**
 * One fault at a time in a FULL extraction of {@code /users}, and its one defined outcome. A fake
 * Graph serves three pages of three users shaped as Graph's documentation shows them ({@code
 * graph-docs/}); each row injects one fault into the third page (or the token endpoint) and states
 * what must follow: the run's status and the words of its message, the records committed, where the
 * checkpoint stands, whether a FAILED event was written, and what a following clean run produces.
 * Every row also checks that a failed run wrote no end marker (so nothing downstream sweeps, and no
 * DELETE is ever caused by a fault) and that no skip token or access token reached a message or a
 * log line.
 */
@org.junit.jupiter.api.extension.ExtendWith(KafkaExtension.class)
class FaultMatrixIT {
  static final int PAGE = 3;
  static final String[] SKIPTOKENS = {
    "RFNwdAIAAQAAACpBZGVsZVZAY29udG9zby5jb20pVXNlcl84N2QzNDllZA",
    "RFNwdAIAAQAAACxDaHJpc3RpZUNAY29udG9zby5jb20pVXNlcl81ZDNmOGRiZQ"
  };
  static Sandbox sandbox;
  static LoopbackServer graph;
  static volatile Fault fault = Fault.NONE;
  static final AtomicInteger remaining = new AtomicInteger();
  static final AtomicInteger tokensAsked = new AtomicInteger();
  static final List<String> tokensIssued =
      java.util.Collections.synchronizedList(new ArrayList<>());

  /** What the fake Graph does to the third page instead of answering it. */
  enum Fault {
    NONE,
    PAGE_WITHOUT_VALUE,
    VALUE_NULL,
    ERROR_OBJECT_WITH_200,
    EMPTY_204,
    MALFORMED_JSON,
    TRUNCATED_BODY,
    CONNECTION_RESET,
    SLOW_ANSWER,
    STATUS_503_WITHOUT_RETRY_AFTER,
    STATUS_429_RETRY_AFTER_FRACTION,
    STATUS_429_RETRY_AFTER_DATE,
    HTML_502,
    HTML_403,
    GRAPH_403,
    GRAPH_401_EXPIRED_TOKEN,
    NEXT_LINK_TO_ANOTHER_HOST,
    PAGE_OF_2_MB,
    TOKEN_ENDPOINT_503,
    TOKEN_ENDPOINT_AADSTS700016
  }

  /**
   * One row: the fault, how many answers it spoils ({@link Integer#MAX_VALUE}: all), and what must
   * follow.
   *
   * @param completes whether the faulty run completes
   * @param committed OBSERVED records committed by the faulty run
   * @param words what the run's error says (failed runs)
   * @param resumeAtPage the page the checkpoint names after a failed run (0: no checkpoint)
   * @param cleanRecords what the following clean run commits (the rest, resumed)
   */
  record Row(
      Fault fault,
      int times,
      boolean completes,
      int committed,
      List<String> words,
      int resumeAtPage,
      int cleanRecords) {
    @Override
    public String toString() {
      return fault + (times == Integer.MAX_VALUE ? " (every time)" : " (" + times + "x)");
    }
  }

  static Row recovers(Fault f, int times) {
    return new Row(f, times, true, 9, List.of(), 0, 0);
  }

  static Row fails(Fault f, int times, int resumeAtPage, String... words) {
    int committed = resumeAtPage == 0 ? 0 : (resumeAtPage - 1) * 3;
    return new Row(f, times, false, committed, List.of(words), resumeAtPage, 9 - committed);
  }

  static final int ALWAYS = Integer.MAX_VALUE;

  static Stream<Row> rows() {
    return Stream.of(
        recovers(Fault.NONE, 0),
        // not a collection page: retried, then the run fails; never an early, complete-looking end
        fails(Fault.PAGE_WITHOUT_VALUE, ALWAYS, 3, "page 3", "failed 3 attempts", "value"),
        fails(Fault.VALUE_NULL, ALWAYS, 3, "page 3", "failed 3 attempts", "value"),
        fails(Fault.ERROR_OBJECT_WITH_200, ALWAYS, 3, "page 3", "failed 3 attempts"),
        recovers(Fault.PAGE_WITHOUT_VALUE, 1),
        fails(Fault.EMPTY_204, ALWAYS, 3, "page 3", "answered 204", "without a page"),
        recovers(Fault.EMPTY_204, 1),
        recovers(Fault.MALFORMED_JSON, 2),
        recovers(Fault.TRUNCATED_BODY, 1),
        recovers(Fault.CONNECTION_RESET, 2),
        recovers(Fault.SLOW_ANSWER, 1),
        recovers(Fault.STATUS_503_WITHOUT_RETRY_AFTER, 2),
        fails(
            Fault.STATUS_503_WITHOUT_RETRY_AFTER,
            ALWAYS,
            3,
            "page 3",
            "503",
            "serviceNotAvailable"),
        recovers(Fault.STATUS_429_RETRY_AFTER_FRACTION, 3),
        recovers(Fault.STATUS_429_RETRY_AFTER_DATE, 1),
        recovers(Fault.HTML_502, 2),
        // permanent: failed at once, the status kept even when the body is HTML
        fails(Fault.HTML_403, ALWAYS, 3, "page 3", "answered 403", "text/html"),
        fails(Fault.GRAPH_403, ALWAYS, 3, "page 3", "403 Authorization_RequestDenied"),
        recovers(Fault.GRAPH_401_EXPIRED_TOKEN, 1),
        fails(Fault.GRAPH_401_EXPIRED_TOKEN, ALWAYS, 3, "page 3", "401 InvalidAuthenticationToken"),
        // page 2 names another host as its next page: page 2 itself is refused, never committed
        fails(Fault.NEXT_LINK_TO_ANOTHER_HOST, ALWAYS, 2, "page 2", "Refusing to follow a link to"),
        new Row(Fault.PAGE_OF_2_MB, ALWAYS, true, 9 + BIG_PAGE, List.of(), 0, 0),
        recovers(Fault.TOKEN_ENDPOINT_503, 2),
        fails(
            Fault.TOKEN_ENDPOINT_AADSTS700016, ALWAYS, 0, "AADSTS700016", "check the credential"));
  }

  static final int BIG_PAGE = 4_000;

  @BeforeAll
  static void start() {
    // the sandbox is the token endpoint (unmodified azure-identity over https); Graph is the fake
    sandbox = Sandbox.start(Sandbox.Options.defaults(1).withQuota(Throttle.Quota.OFF));
    graph = LoopbackServer.http(0, List.of(HostGuardIT.surface(FaultMatrixIT::answer)));
  }

  @AfterAll
  static void stop() {
    graph.close();
    sandbox.close();
  }

  static String resource(String name) {
    try (InputStream in = FaultMatrixIT.class.getResourceAsStream("/graph-docs/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("{base}", graph.baseUrl());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static int pageOf(Exchange ex) {
    String token = ex.query("$skiptoken");
    return token == null ? 1 : token.equals(SKIPTOKENS[0]) ? 2 : 3;
  }

  static void answer(Exchange ex) throws IOException {
    if (!ex.path().equals("/v1.0/users")) {
      ex.sendJson(404, Map.of("error", Map.of("code", "Request_ResourceNotFound")));
      return;
    }
    int page = pageOf(ex);
    String body = resource("users-page-" + page + ".json");
    Fault f = fault;
    boolean spoil =
        f == Fault.NEXT_LINK_TO_ANOTHER_HOST ? page == 2 : page == PAGE && remaining.get() > 0;
    if (spoil && f != Fault.PAGE_OF_2_MB && remaining.get() != ALWAYS) {
      remaining.decrementAndGet();
    }
    if (!spoil) {
      ex.send(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] json;
    switch (f) {
      case PAGE_WITHOUT_VALUE -> ex.sendJson(200, Map.of("@odata.context", "c"));
      case VALUE_NULL -> {
        Map<String, Object> m = new HashMap<>();
        m.put("@odata.context", "c");
        m.put("value", null);
        ex.sendJson(200, m);
      }
      case ERROR_OBJECT_WITH_200 -> send(ex, 200, resource("error-service-unavailable.json"));
      case EMPTY_204 -> ex.sendEmpty(204);
      case MALFORMED_JSON -> send(ex, 200, body.substring(0, body.length() / 2) + "}]}");
      case TRUNCATED_BODY -> {
        ex.inject(Exchange.Fault.TRUNCATE);
        send(ex, 200, body);
      }
      case CONNECTION_RESET -> {
        ex.inject(Exchange.Fault.RESET);
        send(ex, 200, body);
      }
      case SLOW_ANSWER -> {
        try {
          // the behaviour under test, not a wait for a state: the fake answers this page 1.5 s late
          Thread.sleep(1_500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(ex, 200, body);
      }
      case STATUS_503_WITHOUT_RETRY_AFTER ->
          send(ex, 503, resource("error-service-unavailable.json"));
      case STATUS_429_RETRY_AFTER_FRACTION -> {
        ex.responseHeader("Retry-After", "2.128");
        send(ex, 429, resource("error-too-many-requests.json"));
      }
      case STATUS_429_RETRY_AFTER_DATE -> {
        ex.responseHeader("Retry-After", "Sun, 01 Mar 2026 10:00:30 GMT");
        send(ex, 429, resource("error-too-many-requests.json"));
      }
      case HTML_502 -> html(ex, 502);
      case HTML_403 -> html(ex, 403);
      case GRAPH_403 -> send(ex, 403, resource("error-request-denied.json"));
      case GRAPH_401_EXPIRED_TOKEN ->
          send(ex, 401, resource("error-invalid-authentication-token.json"));
      case NEXT_LINK_TO_ANOTHER_HOST ->
          send(
              ex,
              200,
              body.replace(
                  graph.baseUrl() + "/v1.0/users?", "https://graph.example.net/v1.0/users?"));
      case PAGE_OF_2_MB -> {
        json = bigPage(body);
        ex.send(200, "application/json", json);
      }
      default -> send(ex, 200, body);
    }
  }

  static void send(Exchange ex, int status, String json) throws IOException {
    ex.send(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static void html(Exchange ex, int status) throws IOException {
    ex.send(
        status,
        "text/html",
        ("<html><head><title>" + status + "</title></head><body>Gateway</body></html>")
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Page 3 with {@value #BIG_PAGE} more users of the same shape: over 2 MB. */
  static byte[] bigPage(String page3) {
    StringBuilder more = new StringBuilder();
    for (int i = 0; i < BIG_PAGE; i++) {
      more.append(",{\"businessPhones\":[\"+1 425 555 0")
          .append(i % 1000)
          .append("\"],\"displayName\":\"Contoso Employee ")
          .append(i)
          .append("\",\"givenName\":\"Employee\",\"jobTitle\":\"")
          .append("Analyst ".repeat(40))
          .append("\",\"mail\":\"employee")
          .append(i)
          .append("@contoso.com\",\"mobilePhone\":null,\"officeLocation\":\"18/")
          .append(i)
          .append("\",\"preferredLanguage\":\"en-US\",\"surname\":\"")
          .append(i)
          .append("\",\"userPrincipalName\":\"employee")
          .append(i)
          .append("@contoso.com\",\"id\":\"")
          .append(new UUID(0x1234L, i))
          .append("\"}");
    }
    int end = page3.lastIndexOf(']');
    byte[] bytes =
        (page3.substring(0, end) + more + page3.substring(end)).getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).as("a page over 2 MB").isGreaterThan(2 << 20);
    return bytes;
  }

  static TokenCredential app;
  static TokenCredential unknownApp;

  /** The sandbox app's credential, counting what it is asked and what it issues. */
  static CachingCredential credential(boolean unknownApplication) {
    if (app == null) {
      app = new SandboxClients(sandbox).appCredential();
      unknownApp =
          new ClientSecretCredentialBuilder()
              .tenantId(sandbox.tenant().tenantId())
              .clientId(UUID.randomUUID().toString())
              .clientSecret("not-a-secret-of-this-tenant")
              .authorityHost(sandbox.authorityHost())
              .disableInstanceDiscovery()
              .httpClient(new SandboxClients(sandbox).azureHttpClient())
              .build();
    }
    TokenCredential azure = unknownApplication ? unknownApp : app;
    TokenCredential counting =
        new TokenCredential() {
          @Override
          public Mono<AccessToken> getToken(TokenRequestContext r) {
            return Mono.fromCallable(() -> getTokenSync(r));
          }

          @Override
          public AccessToken getTokenSync(TokenRequestContext r) {
            tokensAsked.incrementAndGet();
            AccessToken t = azure.getTokenSync(r);
            tokensIssued.add(t.getToken());
            return t;
          }
        };
    return new CachingCredential(counting);
  }

  /** Each row its own topics and tenant id: its checkpoint, transactional id and runs its own. */
  Topics topics;

  RunSummary extract(TestKafka kafka, String tenant, boolean unknownApp) throws Exception {
    Extractor extractor =
        new Extractor(
            new ExtractorConfig(
                Map.of(
                    ExtractorConfig.COLLECTIONS, "users",
                    ExtractorConfig.MAX_ATTEMPTS, "3")),
            tenant,
            graph.baseUrl(),
            credential(unknownApp),
            kafka.clients(),
            topics,
            new ManualTime(Instant.parse("2026-03-01T10:00:00Z")));
    RunSummary run = extractor.runOnce().get(0);
    awaitDecided(kafka);
    return run;
  }

  /**
   * Waits until every transaction on the row's topics is decided (the last stable offset is the log
   * end): commitTransaction returns before the broker has written its commit markers.
   */
  void awaitDecided(TestKafka kafka) {
    List<String> names =
        List.of(
            topics.raw(io.dirpipe.schemas.Collection.USERS).name(),
            topics.runs().name(),
            topics.checkpoints().name());
    try (var admin = kafka.admin()) {
      org.awaitility.Awaitility.await("the commit markers of the run's transactions in " + names)
          .atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(10))
          .until(
              () ->
                  io.dirpipe.core.kafka.TopicOffsets.end(
                          admin, names, org.apache.kafka.common.IsolationLevel.READ_COMMITTED)
                      .equals(
                          io.dirpipe.core.kafka.TopicOffsets.end(
                              admin,
                              names,
                              org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachFaultHasItsOneOutcome(Row row, TestKafka kafka) throws Exception {
    String tenant = UUID.randomUUID().toString();
    topics = new Topics("fm" + tenant.substring(0, 6) + ".");
    tokensAsked.set(0);
    fault = row.fault();
    remaining.set(row.times());
    if (row.fault() == Fault.TOKEN_ENDPOINT_503) {
      sandbox.faults().tokenUnavailable = row.times();
    }
    List<String> logLines;
    RunSummary faulty;
    try (LogCapture logs = LogCapture.all()) {
      faulty = extract(kafka, tenant, row.fault() == Fault.TOKEN_ENDPOINT_AADSTS700016);
      logLines = logs.lines();
    } finally {
      fault = Fault.NONE;
      sandbox.faults().tokenUnavailable = 0;
    }

    List<ConsumerRecord<io.dirpipe.schemas.ObjectKey, Observation>> raw =
        RawTopic.readAll(kafka, topics.raw(io.dirpipe.schemas.Collection.USERS));
    List<RunEvent> events =
        RawTopic.readAll(kafka, topics.runs()).stream().map(ConsumerRecord::value).toList();
    String runId = faulty.runId();
    assertThat(faulty.status())
        .as("%s: %s", row, faulty.error())
        .isEqualTo(row.completes() ? "completed" : "failed");
    assertThat(observed(raw, runId))
        .as("records committed by the faulty run")
        .isEqualTo(row.committed());
    assertThat(runEnds(raw, runId))
        .as("an end marker (what a sweep follows) only for a completed run")
        .isEqualTo(row.completes() ? 3 : 0);
    if (row.fault() == Fault.GRAPH_401_EXPIRED_TOKEN) {
      assertThat(tokensAsked.get())
          .as("the credential was asked again after the 401")
          .isGreaterThanOrEqualTo(2);
    }

    if (!row.completes()) {
      for (String w : row.words()) {
        assertThat(faulty.error()).as("the run's error").contains(w);
      }
      if (runId != null) {
        assertThat(events)
            .filteredOn(e -> e.getRunId().equals(runId) && e.getType() == RunEventType.FAILED)
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getRecords()).isEqualTo(row.committed());
                  assertThat(e.getError()).contains(row.words().get(0));
                });
      }
      Checkpoint cp =
          Checkpoints.read(kafka.clients(), topics.checkpoints())
              .get(new CheckpointKey(tenant, "users"));
      if (row.resumeAtPage() == 0) {
        assertThat(cp).as("no page committed, no checkpoint").isNull();
      } else {
        assertThat(cp.getNextLink())
            .as("the checkpoint names page %d", row.resumeAtPage())
            .startsWith(graph.baseUrl())
            .endsWith(SKIPTOKENS[row.resumeAtPage() - 2]);
      }

      RunSummary clean = extract(kafka, tenant, false);
      assertThat(clean.status())
          .as("the clean run after: %s", clean.error())
          .isEqualTo("completed");
      List<ConsumerRecord<io.dirpipe.schemas.ObjectKey, Observation>> after =
          RawTopic.readAll(kafka, topics.raw(io.dirpipe.schemas.Collection.USERS));
      assertThat(observed(after, clean.runId()))
          .as("the clean run resumes: every user of the tenant once, over both runs")
          .isEqualTo(9);
      assertThat(clean.records()).isEqualTo(9);
      if (row.resumeAtPage() > 0) {
        assertThat(clean.runId()).as("resumed, not restarted").isEqualTo(runId);
      }
    }

    List<String> said = new ArrayList<>(logLines);
    said.add(String.valueOf(faulty.error()));
    events.forEach(e -> said.add(String.valueOf(e.getError())));
    for (String line : said) {
      for (String token : SKIPTOKENS) {
        assertThat(line).as("no skip token in messages and logs").doesNotContain(token);
      }
      for (String token : tokensIssued) {
        assertThat(line).as("no access token in messages and logs").doesNotContain(token);
      }
      assertThat(line).doesNotContain("not-a-secret-of-this-tenant");
    }
  }

  static long observed(
      List<ConsumerRecord<io.dirpipe.schemas.ObjectKey, Observation>> raw, String runId) {
    return count(raw, runId, ObservationKind.OBSERVED);
  }

  static long runEnds(
      List<ConsumerRecord<io.dirpipe.schemas.ObjectKey, Observation>> raw, String runId) {
    return count(raw, runId, ObservationKind.RUN_END);
  }

  static long count(
      List<ConsumerRecord<io.dirpipe.schemas.ObjectKey, Observation>> raw,
      String runId,
      ObservationKind kind) {
    return raw.stream()
        .map(ConsumerRecord::value)
        .filter(o -> o.getRunId().equals(runId) && o.getKind() == kind)
        .count();
  }
}
