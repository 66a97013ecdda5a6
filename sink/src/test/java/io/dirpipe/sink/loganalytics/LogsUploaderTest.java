package io.dirpipe.sink.loganalytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import io.dirpipe.core.ManualTime;
import io.dirpipe.core.RetryPolicy;
import io.dirpipe.core.kafka.MockKafkaClients;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkStats;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Cluster;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Logs Ingestion retry policy against scripted service answers, on a manual clock: the real
 * azure-monitor-ingestion client sends every request to an azure-core {@link HttpClient} that
 * answers from a script, so what is retried, waited, refreshed and given up is exact.
 */
class LogsUploaderTest {
  final ManualTime time = new ManualTime();
  final SinkStats stats = new SinkStats();
  final MockKafkaClients kafka = new MockKafkaClients(Cluster.empty());
  final Deque<Answer> script = new ArrayDeque<>();
  final List<String> tokensSent = new ArrayList<>();
  final AtomicInteger tokensIssued = new AtomicInteger();
  final AtomicInteger forgotten = new AtomicInteger();

  record Answer(int status, String retryAfter) {}

  final TokenCredential credential =
      request ->
          Mono.just(
              new AccessToken(
                  "token-" + tokensIssued.incrementAndGet(), OffsetDateTime.now().plusHours(1)));

  final HttpClient service =
      request -> {
        tokensSent.add(request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION));
        Answer a = script.isEmpty() ? new Answer(204, null) : script.poll();
        return Mono.just(new Scripted(request, a));
      };

  LogsUploader uploader(RetryPolicy policy) {
    return new LogsUploader(
        () ->
            new LogsIngestionClientBuilder()
                .endpoint("https://dce.example.invalid")
                .credential(credential)
                .httpClient(service)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0)))
                .buildClient(),
        forgotten::incrementAndGet,
        policy,
        "dcr-1",
        1,
        new DeadLetters(kafka, new Topics().deadLetters("loganalytics"), stats),
        stats,
        time);
  }

  static List<LogRows.Row> rows(int n) {
    List<LogRows.Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          new LogRows.Row(
              "Custom-X_CL",
              ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8),
              new ConsumerRecord<>("changes.users", 0, i, new byte[0], new byte[0])));
    }
    return rows;
  }

  @Test
  void aThrottledBatchWaitsTheServicesRetryAfterThenIsDelivered() throws Exception {
    script.add(new Answer(429, "2.5"));
    script.add(new Answer(503, null));
    uploader(RetryPolicy.of(5, Duration.ofMinutes(10))).upload("Custom-X_CL", rows(3));
    assertThat(stats.rows.sum()).isEqualTo(3);
    assertThat(time.sleeps()).hasSize(2);
    assertThat(time.sleeps().get(0)).isEqualTo(Duration.ofMillis(2500));
    assertThat(time.sleeps().get(1))
        .as("full jitter below 400 ms")
        .isLessThan(Duration.ofMillis(400));
    assertThat(stats.retries.sum()).isEqualTo(2);
  }

  @Test
  void aServiceThatNeverRecoversStopsTheSinkAfterTheAttemptsNamingWhatToCheck() {
    for (int i = 0; i < 10; i++) {
      script.add(new Answer(503, "1"));
    }
    assertThatThrownBy(
            () ->
                uploader(RetryPolicy.of(3, Duration.ofMinutes(10))).upload("Custom-X_CL", rows(2)))
        .isInstanceOf(LogsUploader.Fatal.class)
        .hasMessageContaining(
            "did not accept stream 'Custom-X_CL' of rule 'dcr-1' after 3 attempts")
        .hasMessageContaining("Nothing of this batch was committed");
    assertThat(script).hasSize(7);
    assertThat(stats.rows.sum()).isZero();
  }

  @Test
  void aRetryAfterPastTheDeadlineGivesUpWithoutWaiting() {
    script.add(new Answer(503, "120"));
    assertThatThrownBy(
            () ->
                uploader(RetryPolicy.of(10, Duration.ofMinutes(1))).upload("Custom-X_CL", rows(1)))
        .isInstanceOf(LogsUploader.Fatal.class)
        .hasMessageContaining("after 1 attempt over 0 s");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void a401IsRetriedOnceWithATokenAskedAnewAndASecond401IsFatal() throws Exception {
    script.add(new Answer(401, null));
    uploader(RetryPolicy.of(3, Duration.ofMinutes(10))).upload("Custom-X_CL", rows(1));
    assertThat(forgotten).hasValue(1);
    assertThat(tokensSent).containsExactly("Bearer token-1", "Bearer token-2");
    assertThat(stats.rows.sum()).isEqualTo(1);

    script.add(new Answer(401, null));
    script.add(new Answer(401, null));
    assertThatThrownBy(
            () ->
                uploader(RetryPolicy.of(3, Duration.ofMinutes(10))).upload("Custom-X_CL", rows(1)))
        .isInstanceOf(LogsUploader.Fatal.class)
        .hasMessageContaining("(401)")
        .hasMessageContaining("Monitoring Metrics Publisher");
    assertThat(forgotten).hasValue(2);
  }

  /** One scripted answer: a status, an optional Retry-After, an empty or error JSON body. */
  private static final class Scripted extends HttpResponse {
    private final Answer answer;
    private final HttpHeaders headers = new HttpHeaders();
    private final byte[] body;

    Scripted(HttpRequest request, Answer answer) {
      super(request);
      this.answer = answer;
      if (answer.retryAfter() != null) {
        headers.set(HttpHeaderName.RETRY_AFTER, answer.retryAfter());
      }
      body =
          answer.status() == 204
              ? new byte[0]
              : ("{\"error\":{\"code\":\"E" + answer.status() + "\",\"message\":\"scripted\"}}")
                  .getBytes(StandardCharsets.UTF_8);
      headers.set(HttpHeaderName.CONTENT_TYPE, "application/json");
    }

    @Override
    public int getStatusCode() {
      return answer.status();
    }

    @Override
    @Deprecated
    public String getHeaderValue(String name) {
      return headers.getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.just(ByteBuffer.wrap(body));
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.just(body);
    }

    @Override
    public Mono<String> getBodyAsString() {
      return Mono.just(new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.just(new String(body, charset));
    }
  }
}
