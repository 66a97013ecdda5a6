package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code extract --follow}: DELTA runs every interval pick up changes, and SIGTERM ends it with
 * exit 0.
 */
@ExtendWith(KafkaExtension.class)
class ExtractFollowIT {
  @Test
  void followRunsDeltaEveryIntervalUntilSigterm(TestKafka kafka) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(1_000).withQuota(Throttle.Quota.OFF))) {
      String prefix = "follow" + UUID.randomUUID().toString().substring(0, 6) + ".";
      java.util.Map<String, String> env = PackagedDirpipe.extractorEnv(sandbox, kafka, prefix);
      env.put("DIRPIPE_METRICS_PORT", "0");
      java.nio.file.Path log = java.nio.file.Files.createTempFile("follow", ".log");
      ProcessBuilder pb =
          PackagedDirpipe.command(
              env, "extract", "--collections", "users", "--follow", "--interval", "PT1S", "--json");
      pb.redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      Process follow = pb.start();
      try {
        Topics topics = new Topics(prefix);
        Map<String, Object> k = Map.of("bootstrap.servers", kafka.bootstrapServers());
        waitForCompletedRuns(k, topics, 1);
        var report =
            new SandboxClients(sandbox)
                .control("mutate", "{\"collection\":\"users\",\"updates\":7,\"seed\":5}");
        List<RunEvent> completed = waitForCompletedRuns(k, topics, 3);

        // the role is observable: ready, and its freshness of users is that of a recent run
        int port = Scrape.loggedPort(log);
        assertThat(port).as("the metrics address in " + log).isPositive();
        assertThat(Scrape.get(port, "/health/live").statusCode()).isEqualTo(200);
        assertThat(Scrape.get(port, "/health/ready").statusCode()).isEqualTo(200);
        String metrics = Scrape.get(port, "/metrics").body();
        assertThat(metrics).contains("role=\"extract\"");
        assertThat(
                Scrape.value(
                    metrics, "dirpipe_extract_runs_total", "collection=\"users\"", "completed"))
            .isGreaterThanOrEqualTo(3);
        assertThat(
                Scrape.value(metrics, "dirpipe_extract_freshness_seconds", "collection=\"users\""))
            .isGreaterThanOrEqualTo(0);

        assertThat(completed.get(0).getMode()).isEqualTo(Mode.DELTA);
        assertThat(completed.get(0).getRecords()).as("the initial delta sync").isEqualTo(1_000);
        assertThat(completed.stream().skip(1).mapToLong(RunEvent::getRecords).sum())
            .as("later runs: just the changes")
            .isEqualTo(report.path("updated").size());

        follow.destroy(); // SIGTERM
        assertThat(follow.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(follow.exitValue()).isZero();
      } finally {
        follow.destroyForcibly();
      }
    }
  }

  private static List<RunEvent> waitForCompletedRuns(
      Map<String, Object> kafka, Topics topics, int n) {
    List<RunEvent> completed = new ArrayList<>();
    await(n + " completed runs in " + topics.runs().name())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              completed.clear();
              completed.addAll(CompletedRuns.of(kafka, topics));
              return completed.size() >= n;
            });
    completed.sort(java.util.Comparator.comparing(RunEvent::getAt));
    return completed;
  }
}
