package io.dirpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code dirpipe sandbox --kafka} in a process of its own, so its CPU is not the measured
 * extractor's: its export lines are the environment the contenders run with, and its control API
 * answers what it served.
 */
final class SandboxProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** Starts it with {@code args} after {@code sandbox --kafka}; its log goes to {@code log}. */
  SandboxProcess(List<String> args, Path log) throws IOException {
    List<String> all = new ArrayList<>(List.of("sandbox", "--kafka"));
    all.addAll(args);
    ProcessBuilder pb =
        ChildJvm.configure(
            new ProcessBuilder(ChildJvm.command(ChildJvm.options(), "io.dirpipe.cli.Main", all)),
            Map.of());
    pb.redirectError(log.toFile());
    process = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); ; line = out.readLine()) {
      if (line == null) {
        throw new IllegalStateException("The sandbox ended before it was ready: see " + log);
      }
      if (line.equals("sandbox ready")) {
        return;
      }
      if (line.startsWith("export ")) {
        String[] kv = line.substring(7).split("=", 2);
        env.put(kv[0], unquote(kv[1]));
      }
    }
  }

  /** The variables its export lines set. */
  Map<String, String> env() {
    return Collections.unmodifiableMap(env);
  }

  /** {@code GET /_sandbox/<what>} of its control API, e.g. {@code stats} or {@code tenant}. */
  JsonNode control(String what) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(env.get("DIRPIPE_SANDBOX_URL") + "/_sandbox/" + what))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(
          "The sandbox's /_sandbox/" + what + " answered " + answer.statusCode());
    }
    return JSON.readTree(answer.body());
  }

  /** {@code POST /_sandbox/stats/reset}: counts start again from zero. */
  void resetStats() throws IOException, InterruptedException {
    http.send(
        HttpRequest.newBuilder(URI.create(env.get("DIRPIPE_SANDBOX_URL") + "/_sandbox/stats/reset"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private static String unquote(String v) {
    return v.startsWith("'") && v.endsWith("'")
        ? v.substring(1, v.length() - 1).replace("'\\''", "'")
        : v;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
