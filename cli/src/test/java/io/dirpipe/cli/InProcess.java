package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.kafka.TestKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Runs dirpipe commands in this JVM with the given environment, as a shell would run them. */
final class InProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InProcess() {}

  /**
   * Runs {@code args}; standard output goes to {@code out}, and standard error too when the command
   * fails (so an assertion on the exit code shows why).
   */
  static int dirpipe(Map<String, String> env, StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    if (code != 0) {
      out.write(err.toString());
    }
    return code;
  }

  /**
   * The environment of an extractor and a transformer of {@code collections} on the sandbox and the
   * broker, their topics under {@code prefix}, the transformer's state in {@code stateDir}.
   */
  static Map<String, String> pipelineEnv(
      Sandbox sandbox, TestKafka broker, String prefix, Path stateDir, String collections) {
    Map<String, String> env = new HashMap<>(PackagedDirpipe.extractorEnv(sandbox, broker, prefix));
    env.put("DIRPIPE_TRANSFORM_STATE_DIR", stateDir.toString());
    env.put("DIRPIPE_TRANSFORM_APPLICATION_ID", prefix + "transformer");
    env.put("DIRPIPE_TRANSFORM_COLLECTIONS", collections);
    return env;
  }

  /** A FULL run of {@code collections}, then the transformer until idle; the run summary. */
  static JsonNode extractAndTransform(Map<String, String> env, String collections)
      throws IOException {
    return extractAndTransform(env, collections, "full");
  }

  /** A run of {@code collections} in {@code mode}, then the transformer until idle. */
  static JsonNode extractAndTransform(Map<String, String> env, String collections, String mode)
      throws IOException {
    StringWriter out = new StringWriter();
    int code = dirpipe(env, out, "extract", "--mode", mode, "--collections", collections, "--json");
    assertThat(code).as(out.toString()).isZero();
    StringWriter transformed = new StringWriter();
    assertThat(dirpipe(env, transformed, "transform", "--until-idle", "1s", "--json"))
        .as(transformed.toString())
        .isZero();
    return JSON.readTree(out.toString());
  }

  /**
   * {@code dirpipe replay --collection users --at T --out FILE [more]}: the users as JSON objects
   * (the file's lines), asserted to succeed.
   */
  static java.util.Set<JsonNode> replayUsers(
      Map<String, String> env, Instant at, Path file, String... more) throws IOException {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "replay",
                "--collection",
                "users",
                "--at",
                at.toString(),
                "--out",
                file.toString()));
    args.addAll(java.util.List.of(more));
    StringWriter out = new StringWriter();
    assertThat(dirpipe(env, out, args.toArray(String[]::new))).as(out.toString()).isZero();
    java.util.Set<JsonNode> lines = new java.util.HashSet<>();
    for (String line : java.nio.file.Files.readAllLines(file)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  /** A time after everything so far and before anything next. */
  static Instant tick() {
    Instant now = Instant.now();
    await("the clock to pass " + now).until(() -> Instant.now().isAfter(now));
    return now;
  }
}
