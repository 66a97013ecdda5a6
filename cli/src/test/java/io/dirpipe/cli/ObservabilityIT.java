package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.extractor.Worker;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.ExtractionTask;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every long-running role in its own process, as deployed, each with {@code metrics.port}: {@code
 * extract --worker}, {@code transform} and {@code sink lake} answer {@code /health/live}, {@code
 * /health/ready} and {@code /metrics} with their role's meters; the worker's freshness rises while
 * it has no task and falls after a run; the transformer's and the sink's consumer lag falls to zero
 * once they have processed what was extracted. ({@code extract --follow} answers them in
 * ExtractFollowIT.)
 */
@ExtendWith(KafkaExtension.class)
class ObservabilityIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final int USERS = 300;

  @TempDir Path dir;

  @Test
  void everyRoleAnswersHealthAndMetrics(TestKafka kafka) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF))) {
      String prefix = "obs" + UUID.randomUUID().toString().substring(0, 6) + ".";
      Map<String, String> env = PackagedDirpipe.extractorEnv(sandbox, kafka, prefix);
      env.put("DIRPIPE_METRICS_PORT", "0");
      env.put("DIRPIPE_EXTRACT_COLLECTIONS", "users");
      env.put("DIRPIPE_TRANSFORM_COLLECTIONS", "users");
      env.put("DIRPIPE_TRANSFORM_STATE_DIR", dir.resolve("state").toString());
      env.put("DIRPIPE_TRANSFORM_APPLICATION_ID", prefix + "transformer");
      env.put("DIRPIPE_LAKE_ROOT", dir.resolve("lake").toString());
      env.put("DIRPIPE_LAKE_DATASETS", "changes");
      env.put("DIRPIPE_LAKE_GROUP", prefix + "lake");
      env.put("DIRPIPE_LAKE_ROLL_INTERVAL", "1s");

      Map<String, Process> roles = new LinkedHashMap<>();
      try {
        Map<String, String> json = new HashMap<>(env);
        json.put("DIRPIPE_LOG_FORMAT", "json");
        roles.put("worker", start(json, "worker", "extract", "--worker", "--group", prefix + "w"));
        roles.put("transform", start(env, "transform", "transform"));
        roles.put("sink-lake", start(env, "sink-lake", "sink", "lake"));
        Map<String, Integer> ports = new HashMap<>();
        for (String role : roles.keySet()) {
          Path log = dir.resolve(role + ".log");
          await(role + " logged its metrics address in " + log)
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(100))
              .until(() -> Scrape.loggedPort(log) > 0);
          ports.put(role, Scrape.loggedPort(log));
          assertThat(Scrape.get(ports.get(role), "/health/live").statusCode())
              .as(role + " /health/live")
              .isEqualTo(200);
        }

        // the worker: ready once in its group; freshness rises while no task comes, falls after one
        int worker = ports.get("worker");
        awaitReady("worker", worker);
        Topics topics = new Topics(prefix);
        KafkaClients clients =
            KafkaClients.of(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        String tenant = sandbox.tenant().tenantId();
        Worker.submit(clients, topics, new ExtractionTask(tenant, List.of("users"), Mode.FULL));
        String[] users = {"collection=\"users\"", "tenant=\"" + tenant + "\""};
        awaitMetric("worker", worker, "dirpipe_extract_runs_total", 1, users);
        String m = Scrape.get(worker, "/metrics").body();
        assertThat(Scrape.value(m, "dirpipe_extract_records_total", users)).isEqualTo(USERS);
        assertThat(m).contains("role=\"worker\"").contains("dirpipe_token_expiry_seconds");
        assertThat(Scrape.value(m, "dirpipe_extract_quota_resource_units", "tenant=\"" + tenant))
            .isEqualTo(8000);
        double first = Scrape.value(m, "dirpipe_extract_freshness_seconds", users);
        assertThat(first).as("freshness after the first run").isGreaterThanOrEqualTo(0);
        AtomicReference<Double> risen = new AtomicReference<>();
        await("the worker's freshness of users to rise by a second while it has no task")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  risen.set(freshness(worker, users));
                  return risen.get() >= first + 1;
                });
        Worker.submit(clients, topics, new ExtractionTask(tenant, List.of("users"), Mode.DELTA));
        awaitMetric("worker", worker, "dirpipe_extract_runs_total", 2, users);
        assertThat(freshness(worker, users))
            .as("freshness right after the second run, against %s before it", risen.get())
            .isLessThan(risen.get());
        assertThat(Scrape.get(worker, "/health/ready").statusCode()).isEqualTo(200);
        assertJsonLogWithRunContext(dir.resolve("worker.log"), tenant);

        // transform and sink: ready, and their lag reaches zero once everything is processed
        for (String role : List.of("transform", "sink-lake")) {
          int port = ports.get(role);
          awaitReady(role, port);
          String topic = role.equals("transform") ? "raw.users" : "changes.users";
          AtomicReference<String> last = new AtomicReference<>("");
          await(role + "'s consumer lag on " + prefix + topic + " to reach 0 after " + USERS)
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    last.set(Scrape.get(port, "/metrics").body());
                    return Scrape.value(
                            last.get(),
                            "dirpipe_consumer_lag_records",
                            "topic=\"" + prefix + topic + "\"")
                        == 0;
                  });
          String counted =
              role.equals("transform")
                  ? "dirpipe_transform_input_total"
                  : "dirpipe_sink_records_total";
          assertThat(Scrape.value(last.get(), counted))
              .as(role + ": " + counted)
              .isGreaterThanOrEqualTo(USERS);
          assertThat(last.get()).contains("role=\"" + role + "\"");
        }
        for (Map.Entry<String, Process> r : roles.entrySet()) {
          r.getValue().destroy(); // SIGTERM
        }
        for (Map.Entry<String, Process> r : roles.entrySet()) {
          assertThat(r.getValue().waitFor(60, TimeUnit.SECONDS))
              .as(r.getKey() + " stopped")
              .isTrue();
          assertThat(r.getValue().exitValue()).as(r.getKey() + " exit code").isZero();
        }
      } finally {
        roles.values().forEach(Process::destroyForcibly);
      }
    }
  }

  private Process start(Map<String, String> env, String name, String... args) throws Exception {
    return PackagedDirpipe.command(env, args)
        .redirectError(dir.resolve(name + ".log").toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .start();
  }

  /**
   * DIRPIPE_LOG_FORMAT=json: every line of the log is a JSON object, and the lines of a run carry
   * its tenant, collection and run id.
   */
  private static void assertJsonLogWithRunContext(Path log, String tenant) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> lines = java.nio.file.Files.readAllLines(log);
    assertThat(lines).isNotEmpty();
    boolean runLine = false;
    for (String line : lines) {
      com.fasterxml.jackson.databind.JsonNode n;
      try {
        n = mapper.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError("a log line that is not JSON: " + line, e);
      }
      assertThat(n.has("level") && n.has("loggerName") && n.has("formattedMessage"))
          .as("fields of " + line)
          .isTrue();
      com.fasterxml.jackson.databind.JsonNode mdc = n.path("mdc");
      if (mdc.path("run_id").asText().startsWith("users-")) {
        assertThat(mdc.path("tenant").asText()).isEqualTo(tenant);
        assertThat(mdc.path("collection").asText()).isEqualTo("users");
        runLine = true;
      }
    }
    assertThat(runLine)
        .as("a line with the run's tenant, collection and run_id in " + log)
        .isTrue();
  }

  private static double freshness(int port, String... labels) throws Exception {
    return Scrape.value(
        Scrape.get(port, "/metrics").body(), "dirpipe_extract_freshness_seconds", labels);
  }

  private static void awaitReady(String role, int port) {
    AtomicReference<String> body = new AtomicReference<>();
    await(role + " /health/ready to answer 200")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              var r = Scrape.get(port, "/health/ready");
              body.set(r.body());
              return r.statusCode() == 200;
            });
    assertThat(body.get()).contains("UP");
  }

  private static void awaitMetric(
      String role, int port, String name, double atLeast, String... labels) {
    await(role + " /metrics " + name + String.join(",", labels) + " to reach " + atLeast)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Scrape.value(Scrape.get(port, "/metrics").body(), name, labels) >= atLeast);
  }
}
