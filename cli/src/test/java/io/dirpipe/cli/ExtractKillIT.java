package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.ChildOutput;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kill -9} of the packaged extractor at random pages: after restarts, nothing lost, nothing
 * doubled.
 */
@ExtendWith(KafkaExtension.class)
class ExtractKillIT {
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(20_000).withQuota(Throttle.Quota.OFF));
    // ~100 pages of 200 users take a few seconds: room to kill mid-run (the 20-kill chaos run: 400
    // ms)
    sandbox.faults().latencyMs = Long.getLong("dirpipe.chaos.latencyMs", 40);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static Map<String, String> env(TestKafka kafka, String prefix) {
    Map<String, String> env = PackagedDirpipe.extractorEnv(sandbox, kafka, prefix);
    env.put("DIRPIPE_EXTRACT_PAGE_SIZE", "200");
    return env;
  }

  static Process extract(Map<String, String> env) throws Exception {
    return PackagedDirpipe.command(env, "extract", "--collections", "users", "--json")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  static JsonNode finish(Process p) throws Exception {
    var output = ChildOutput.drain(p.getInputStream());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("extractor finished").isTrue();
    String out = output.get(30, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as(out).isZero();
    return new ObjectMapper().readTree(out).path("runs").get(0);
  }

  @Test
  void resumesFromTheLastCommittedPageAfterKills(TestKafka kafka) throws Exception {
    String undisturbedDigest =
        finish(
                extract(
                    env(kafka, "undisturbed" + UUID.randomUUID().toString().substring(0, 6) + ".")))
            .path("digest")
            .asText();

    String prefix = "killed" + UUID.randomUUID().toString().substring(0, 6) + ".";
    String raw = new Topics(prefix).raw(Collection.USERS).name();
    Random random = new Random(7);
    int trials = Integer.getInteger("dirpipe.chaos.trials", 5); // the chaos run of the notes: 20
    for (int trial = 0; trial < trials; trial++) {
      long before = kafka.committedEnd(raw);
      long target = before + (1 + random.nextInt(6)) * 200L; // 1 to 6 more committed pages
      Process p = extract(env(kafka, prefix));
      await("extractor " + trial + " committed pages up to offset " + target + " of " + raw)
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !p.isAlive() || kafka.committedEnd(raw) >= target);
      assertThat(p.isAlive())
          .as("extractor %d still running when killed, so the kill interrupts the run", trial)
          .isTrue();
      p.destroyForcibly(); // SIGKILL: no shutdown hook, the open transaction is left to the broker
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("extractor %d ended", trial).isTrue();
    }

    JsonNode run = finish(extract(env(kafka, prefix)));

    Topics topics = new Topics(prefix);
    List<Observation> all = new ArrayList<>();
    all.addAll(readAll(kafka, topics));
    List<Observation> ofRun =
        all.stream()
            .filter(
                o ->
                    o.getRunId().equals(run.path("runId").asText())
                        && o.getKind() == ObservationKind.OBSERVED)
            .toList();
    assertThat(ofRun).as("every user of the run").hasSize(20_000);
    assertThat(ofRun.stream().map(Observation::getObjectId).distinct().count())
        .as("each once")
        .isEqualTo(20_000);
    assertThat(run.path("digest").asText())
        .as("same digest as the undisturbed run")
        .isEqualTo(undisturbedDigest);
    assertThat(run.path("records").asLong()).isEqualTo(20_000);
  }

  private static List<Observation> readAll(TestKafka kafka, Topics topics) {
    List<Observation> out = new ArrayList<>();
    TopicReader.readAll(kafka.clients(), topics.raw(Collection.USERS), r -> out.add(r.value()));
    return out;
  }
}
