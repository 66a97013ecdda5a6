package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.Failpoints;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topics;
import io.dirpipe.transformer.audit.RunVerifier;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction without Kafka transactions ({@code delivery.guarantee=at-least-once}, for Event Hubs
 * below Premium), killed with {@code kill -9} five times at observed moments: three times right
 * after a page's records were acknowledged and before its checkpoint (the failpoint {@code
 * extract.records-acknowledged}: the worst moment), twice after more pages were seen committed. The
 * run then completes with every user present; the only duplicates are records written again after a
 * restart, each an exact copy within the run, and {@code dirpipe verify} names them and verifies
 * the run.
 */
@ExtendWith(KafkaExtension.class)
class AtLeastOnceKillIT {
  static final int USERS = 3_000;
  static final String[] FAILPOINTS = {"@2", "@3", "@2"};

  @TempDir Path dir;

  @Test
  void killedFiveTimesEveryUserIsThereAndVerifyNamesTheResentRecords(TestKafka kafka)
      throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF))) {
      sandbox.faults().latencyMs = 30; // pages take long enough to kill between two of them
      String prefix = "alo" + UUID.randomUUID().toString().substring(0, 6) + ".";
      Map<String, String> env = PackagedDirpipe.extractorEnv(sandbox, kafka, prefix);
      env.put("DIRPIPE_DELIVERY_GUARANTEE", "at-least-once");
      env.put("DIRPIPE_EXTRACT_PAGE_SIZE", "100");
      env.put("DIRPIPE_EXTRACT_COLLECTIONS", "users");
      Topics topics = new Topics(prefix);
      String raw = topics.raw(Collection.USERS).name();

      for (int kill = 0; kill < 5; kill++) {
        Map<String, String> child = new HashMap<>(env);
        Path log = dir.resolve("kill-" + kill + ".log");
        String observed;
        if (kill < FAILPOINTS.length) {
          String failpoint = "extract.records-acknowledged" + FAILPOINTS[kill];
          child.put("JAVA_TOOL_OPTIONS", "-D" + Failpoints.PROPERTY + "=" + failpoint);
          observed = "failpoint extract.records-acknowledged reached";
        } else {
          observed = null;
        }
        long before = kafka.committedEnd(raw);
        Process p =
            PackagedDirpipe.command(child, "extract", "--json")
                .redirectError(log.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
          if (observed != null) {
            await("extractor " + kill + ": " + observed + " in " + log)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !p.isAlive() || Files.readString(log).contains(observed));
          } else {
            long target = before + 300; // three more pages
            await("extractor " + kill + " wrote up to offset " + target + " of " + raw)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !p.isAlive() || kafka.committedEnd(raw) >= target);
          }
          assertThat(p.isAlive()).as("extractor %d still running when killed", kill).isTrue();
        } finally {
          p.destroyForcibly(); // SIGKILL
          assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("extractor %d ended", kill).isTrue();
        }
      }

      Path log = dir.resolve("final.log");
      Process last =
          PackagedDirpipe.command(env, "extract", "--json")
              .redirectError(log.toFile())
              .redirectOutput(dir.resolve("final.json").toFile())
              .start();
      assertThat(last.waitFor(3, TimeUnit.MINUTES)).as("the last extractor finished").isTrue();
      String out = Files.readString(dir.resolve("final.json"));
      assertThat(last.exitValue()).as(out + Files.readString(log)).isZero();
      JsonNode run = new ObjectMapper().readTree(out).path("runs").get(0);
      String runId = run.path("runId").asText();
      assertThat(run.path("records").asLong()).isEqualTo(USERS);

      // every user is in the topic; the extra copies are exact copies within the run
      List<Observation> all = new java.util.ArrayList<>();
      TopicReader.readAll(kafka.clients(), topics.raw(Collection.USERS), r -> all.add(r.value()));
      Map<String, List<Observation>> byId =
          all.stream()
              .filter(o -> o.getRunId().equals(runId) && o.getKind() == ObservationKind.OBSERVED)
              .collect(Collectors.groupingBy(Observation::getObjectId));
      assertThat(byId).as("every user of the run").hasSize(USERS);
      Set<String> copied =
          byId.entrySet().stream()
              .filter(e -> e.getValue().size() > 1)
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet());
      assertThat(copied)
          .as("records written again: at least a page per failpoint kill")
          .hasSizeGreaterThanOrEqualTo(FAILPOINTS.length * 100);

      // verify counts each once, names the resent ones, and verifies the run
      RunVerifier.Result verified =
          RunVerifier.verifyAll(RunVerifier.topics(kafka.clients(), topics), List.of(runId), true)
              .get(0);
      assertThat(verified.ok()).as(verified.toString()).isTrue();
      assertThat(verified.resent()).containsExactlyInAnyOrderElementsOf(copied);
      assertThat(verified.duplicates()).as("nothing else twice").isEmpty();
      StringWriter text = new StringWriter();
      assertThat(InProcess.dirpipe(env, text, "verify", "--run", runId))
          .as(text.toString())
          .isZero();
      assertThat(text.toString())
          .contains(copied.size() + " written again after a restart")
          .contains("verified");
    }
  }
}
