package io.dirpipe.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pipeline roles as child processes of this JVM's own classpath ({@code java -cp ...
 * io.dirpipe.cli.Main ...}), configured only by their environment, as a deployment runs them. Each
 * role's stderr goes to {@code <logs>/<name>.log}; its stdout is the JSON it prints.
 */
public final class ChildProcesses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final Path logs;

  ChildProcesses(Map<String, String> env, Path logs) throws IOException {
    this.env = env;
    this.logs = Files.createDirectories(logs);
  }

  /** Starts {@code dirpipe args} as {@code name}. */
  Process start(String name, String... args) throws IOException {
    return start(name, Map.of(), args);
  }

  /**
   * Starts {@code dirpipe args} as {@code name} with {@code more} variables over the shared ones.
   */
  Process start(String name, Map<String, String> more, String... args) throws IOException {
    List<String> command =
        ChildJvm.command(ChildJvm.options(), "io.dirpipe.cli.Main", List.of(args));
    Map<String, String> own = new java.util.LinkedHashMap<>(env);
    own.putAll(more);
    ProcessBuilder pb = ChildJvm.configure(new ProcessBuilder(command), own);
    pb.redirectError(logs.resolve(name + ".log").toFile());
    pb.redirectOutput(logs.resolve(name + ".out").toFile());
    return pb.start();
  }

  /** Runs {@code dirpipe args --json} to the end and returns its JSON. */
  JsonNode run(String name, String... args) throws IOException, InterruptedException {
    return await(name, start(name, args));
  }

  /** Waits for a started role and returns its JSON. */
  JsonNode await(String name, Process p) throws IOException, InterruptedException {
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not finish in 10 minutes: see " + log(name));
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(logs.resolve(name + ".log"));
      throw new IllegalStateException(
          name
              + " failed (exit "
              + p.exitValue()
              + "): "
              + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()))
              + " (whole log: "
              + log(name)
              + ")");
    }
    return JSON.readTree(Files.readString(logs.resolve(name + ".out")));
  }

  private Path log(String name) {
    return logs.resolve(name + ".log");
  }
}
