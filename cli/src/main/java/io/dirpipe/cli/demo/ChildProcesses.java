package io.dirpipe.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /**
   * The JVM options of the {@code dirpipe} launcher: the C1 compiler only and the serial collector,
   * which cost a process that runs for seconds to minutes less CPU than the defaults.
   */
  public static final List<String> JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final Map<String, String> env;
  private final Path logs;

  ChildProcesses(Map<String, String> env, Path logs) throws IOException {
    this.env = env;
    this.logs = Files.createDirectories(logs);
  }

  /**
   * Gives a child process exactly {@code env} as its configuration: none of this process's dirpipe,
   * Azure SDK or managed-identity variables leak into it.
   */
  public static ProcessBuilder configure(ProcessBuilder pb, Map<String, String> env) {
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("DIRPIPE_")
                    || k.startsWith("AZURE_")
                    || k.startsWith("IDENTITY_")
                    || k.startsWith("MSI_"));
    pb.environment().putAll(env);
    return pb;
  }

  /** Starts {@code dirpipe args} as {@code name}. */
  Process start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.dirpipe.cli.Main");
    command.addAll(List.of(args));
    ProcessBuilder pb = configure(new ProcessBuilder(command), env);
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
