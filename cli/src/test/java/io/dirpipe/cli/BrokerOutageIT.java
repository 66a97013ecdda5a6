package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker frozen ({@code SIGSTOP}) or killed in the middle of an extraction: {@code dirpipe
 * extract} ends within about {@code broker.timeout} with one message naming the bootstrap servers,
 * and once the broker is back the next start resumes, every user once. The broker is the packaged
 * {@code dirpipe kafka} in a child process (so it can be frozen); the extractor runs in this JVM.
 */
class BrokerOutageIT {
  static final int USERS = 6_000;
  static final String TIMEOUT_MS = "10000";
  Sandbox sandbox;
  Process broker;

  @BeforeEach
  void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF));
    sandbox.faults().latencyMs = 40; // 30 pages of 200 users take over a second: room to freeze
  }

  @AfterEach
  void stop() throws Exception {
    if (broker != null) {
      signal(broker, "CONT");
      broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    sandbox.close();
  }

  /** {@code dirpipe kafka} in a child process; returns its bootstrap address. */
  TestKafka startBroker(Path dataDir) throws Exception {
    broker =
        PackagedDirpipe.command(Map.of(), "kafka", "--data-dir", dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
    String first =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return out.readLine();
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(first).as("the broker's first line").startsWith("export DIRPIPE_KAFKA_BOOTSTRAP");
    return new TestKafka(first.substring(first.indexOf('=') + 1), "child");
  }

  static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  /** {@code dirpipe extract} running in a thread of this JVM, its output collected. */
  record Extraction(CompletableFuture<Integer> exit, StringWriter output) {
    boolean running() {
      return !exit.isDone();
    }
  }

  Extraction extract(TestKafka kafka, String prefix) {
    Map<String, String> env = PackagedDirpipe.extractorEnv(sandbox, kafka, prefix);
    env.put("DIRPIPE_EXTRACT_PAGE_SIZE", "200");
    env.put("DIRPIPE_BROKER_TIMEOUT", TIMEOUT_MS);
    StringWriter out = new StringWriter();
    PrintWriter both = new PrintWriter(out, true);
    return new Extraction(
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {"extract", "--collections", "users", "--json"}, env, both, both),
            // its own thread, as a process has: not the common pool, which other tests may hold
            r -> new Thread(r, "dirpipe-extract").start()),
        out);
  }

  /** Starts an extraction and waits until it has committed two pages. */
  Extraction extractUntilTwoPages(TestKafka kafka, String prefix) throws Exception {
    String raw = new Topics(prefix).raw(Collection.USERS).name();
    Extraction e = extract(kafka, prefix);
    await("two committed pages in " + raw)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !e.running() || kafka.committedEnd(raw) >= 400);
    assertThat(e.running()).as("the extractor is mid-run when the broker goes").isTrue();
    return e;
  }

  String failsNamingTheBroker(Extraction e, TestKafka kafka) throws Exception {
    int exit;
    try {
      exit = e.exit().get(3, TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException notEnded) {
      throw new AssertionError(
          "dirpipe extract did not end within 3 minutes of the broker going; its threads:\n"
              + threads()
              + "\noutput:\n"
              + e.output(),
          notEnded);
    }
    String out = e.output().toString();
    assertThat(exit).as(out).isEqualTo(1);
    assertThat(out)
        .contains("Kafka at " + kafka.bootstrapServers() + " did not answer within 10 s")
        .contains("Check that the brokers are up");
    return out;
  }

  @Test
  void aFrozenBrokerEndsTheRunWithinTheTimeoutAndTheNextStartResumes(@TempDir Path dir)
      throws Exception {
    TestKafka kafka = startBroker(dir);
    String prefix = "frozen.";
    Extraction e = extractUntilTwoPages(kafka, prefix);
    signal(broker, "STOP");
    failsNamingTheBroker(e, kafka);
    signal(broker, "CONT");

    Extraction again = extract(kafka, prefix);
    int exit = again.exit().get(3, TimeUnit.MINUTES);
    String out = again.output().toString();
    assertThat(exit).as(out).isZero();
    String json =
        out.lines().filter(l -> l.startsWith("{\"runs\"")).reduce((a, b) -> b).orElseThrow();
    JsonNode run = new ObjectMapper().readTree(json).path("runs").get(0);
    Set<String> ids = new HashSet<>();
    long[] ofRun = {0};
    TopicReader.readAll(
        kafka.clients(),
        new Topics(prefix).raw(Collection.USERS),
        r -> {
          Observation o = r.value();
          if (o.getKind() == ObservationKind.OBSERVED
              && o.getRunId().equals(run.path("runId").asText())) {
            ofRun[0]++;
            ids.add(o.getObjectId());
          }
        });
    assertThat(ofRun[0]).as("every user of the resumed run, once").isEqualTo(USERS);
    assertThat(ids).hasSize(USERS);
  }

  @Test
  void aKilledBrokerEndsTheRunWithinTheTimeout(@TempDir Path dir) throws Exception {
    TestKafka kafka = startBroker(dir);
    Extraction e = extractUntilTwoPages(kafka, "killed.");
    broker.destroyForcibly();
    assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    failsNamingTheBroker(e, kafka);
  }

  static String threads() {
    StringBuilder b = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (t, stack) -> {
              b.append(t.getName()).append(' ').append(t.getState()).append('\n');
              for (StackTraceElement f : stack) {
                b.append("    at ").append(f).append('\n');
              }
            });
    return b.toString();
  }
}
