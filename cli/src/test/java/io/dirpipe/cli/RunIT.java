package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topics;
import io.dirpipe.transformer.audit.RunVerifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dirpipe run} on the sandbox's managed identity: /health and /metrics answer with the
 * roles' counters; SIGTERM in the middle of an extraction exits 0 and loses nothing (the next start
 * resumes, every run verifies).
 */
@ExtendWith(KafkaExtension.class)
class RunIT {
  static final Pattern PORT = Pattern.compile("metrics at http://[^:]+:(\\d+)/metrics");
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void sigtermMidRunLosesNothingAndMetricsTellWhatHappened(TestKafka broker) throws Exception {
    try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults(3_000))) {
      new SandboxClients(sandbox).control("faults", "{\"latencyMs\":150}");
      String prefix = "run" + UUID.randomUUID().toString().substring(0, 6) + ".";
      Map<String, String> env = new HashMap<>(sandbox.environment()); // managed identity
      env.put("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
      env.put("DIRPIPE_TOPICS_PREFIX", prefix);
      env.put("DIRPIPE_EXTRACT_COLLECTIONS", "users,groups");
      env.put("DIRPIPE_EXTRACT_PAGE_SIZE", "100");
      env.put("DIRPIPE_TRANSFORM_STATE_DIR", dir.resolve("state").toString());
      env.put("DIRPIPE_TRANSFORM_APPLICATION_ID", prefix + "transformer");
      env.put("DIRPIPE_LAKE_ROOT", dir.resolve("lake").toString());
      // files are published (and their rows counted) within seconds, not at the 5-minute default
      env.put("DIRPIPE_LAKE_ROLL_INTERVAL", "2000");
      env.put("DIRPIPE_METRICS_HOST", "127.0.0.1");
      env.put("DIRPIPE_METRICS_PORT", "0");
      env.put("DIRPIPE_RUN_INTERVAL", "2000");
      env.put("DIRPIPE_RUN_GRACE", "500");

      // 1. SIGTERM while the first extraction is paging
      Process first = start(env, "run-1");
      int port = port(first);
      Topics topics = new Topics(prefix);
      Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
      String users = topics.raw(Collection.USERS).name();
      await("the first run committed two pages of users to " + users)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> broker.committedEnd(users) >= 200);
      assertThat(get(port, "/health").statusCode()).isEqualTo(200);
      first.destroy(); // SIGTERM
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
      assertThat(first.exitValue()).isZero();
      assertThat(completed(kafka, topics)).as("runs complete before SIGTERM").hasSizeLessThan(2);

      // 2. the next start resumes; runs complete; metrics say so
      Process second = start(env, "run-2");
      try {
        port = port(second);
        int metricsPort = port;
        await("4 completed runs in " + topics.runs().name())
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> completed(kafka, topics).size() >= 4);
        List<String> completed = completed(kafka, topics);
        List<String[]> series =
            List.of(
                new String[] {"dirpipe_extract_records_total", "collection=\"users\""},
                new String[] {
                  "dirpipe_transform_events_total", "collection=\"users\"", "op=\"CREATE\""
                },
                new String[] {"dirpipe_sink_rows_total", "sink=\"lake\""},
                new String[] {"dirpipe_sink_rows_total", "sink=\"loganalytics\""});
        java.util.concurrent.atomic.AtomicReference<String> last =
            new java.util.concurrent.atomic.AtomicReference<>("");
        try {
          await("/metrics shows a positive " + names(series))
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    String m = get(metricsPort, "/metrics").body();
                    last.set(m);
                    return series.stream().allMatch(x -> value(m, x) > 0);
                  });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              e.getMessage()
                  + "; not positive: "
                  + names(series.stream().filter(x -> value(last.get(), x) <= 0).toList()),
              e);
        }
        String metrics = get(port, "/metrics").body();
        assertThat(metrics).contains("dirpipe_extract_throttled_total");
        assertThat(
                Scrape.value(metrics, "dirpipe_extract_freshness_seconds", "collection=\"users\""))
            .as("freshness of users after completed runs")
            .isGreaterThanOrEqualTo(0);
        assertThat(get(port, "/health").body()).contains("UP");
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();

        for (RunVerifier.Result r :
            RunVerifier.verifyAll(KafkaClients.of(kafka), topics, completed)) {
          assertThat(r.ok()).as(r.toString()).isTrue();
        }
      } finally {
        second.destroyForcibly();
      }
    }
  }

  private Process start(Map<String, String> env, String name) throws Exception {
    return PackagedDirpipe.command(env, "run")
        .redirectError(dir.resolve(name + ".log").toFile())
        .start();
  }

  private static int port(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = PORT.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("dirpipe run printed no metrics address");
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String metrics, String[] series) {
    return Scrape.value(metrics, series[0], java.util.Arrays.copyOfRange(series, 1, series.length));
  }

  private static List<String> names(List<String[]> series) {
    return series.stream().map(x -> String.join(" ", x)).toList();
  }

  private static List<String> completed(Map<String, Object> kafka, Topics topics) {
    return CompletedRuns.of(kafka, topics).stream().map(RunEvent::getRunId).toList();
  }
}
