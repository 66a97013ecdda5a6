package io.dirpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.ChildJvm;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.schemas.Collection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code dirpipe bench extract --end-to-end}: the processes a user starts, measured from outside.
 * The sandbox and its broker run in a process of their own; each contender is a fresh process
 * against them, and its wall time and CPU time (user + system, from the shell's {@code times})
 * include JVM or Node start-up, connections and topic creation.
 *
 * <p>Contenders: {@code dirpipe extract} as the launcher runs it; the Node.js baseline ({@code
 * bench/node/extract.mjs}: the Graph JS client's PageIterator and kafkajs); the naive Java baseline
 * ({@link NaiveExtract}, default JVM options); and {@code dirpipe extract} of the directory roles
 * alone, the fixed cost every short delta run pays.
 */
public final class EndToEndBench implements AutoCloseable {
  /** One contender's runs: medians of wall and CPU seconds, and the records it published. */
  public record Result(
      String what, long records, double wallSeconds, double cpuSeconds, List<double[]> runs) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SELECT =
      String.join(",", CollectionSpec.of(Collection.USERS, null).select());

  private final Path work;
  private final Path nodeDir;
  private final SandboxProcess sandbox;

  /**
   * Starts {@code dirpipe sandbox --kafka} with {@code sandboxArgs} in its own process.
   *
   * @param nodeDir the folder of the Node.js baseline, with its {@code node_modules} installed
   */
  public EndToEndBench(Path nodeDir, List<String> sandboxArgs) throws IOException {
    this.nodeDir = nodeDir;
    if (!Files.isDirectory(nodeDir.resolve("node_modules"))) {
      throw new IllegalStateException(
          "The Node.js baseline's packages are not installed in "
              + nodeDir.resolve("node_modules")
              + ": run 'npm ci' in "
              + nodeDir
              + " (the build does it when npm is on the PATH).");
    }
    this.work = Files.createTempDirectory("dirpipe-bench-e2e");
    this.sandbox = new SandboxProcess(sandboxArgs, work.resolve("sandbox.log"));
  }

  /** Runs every contender {@code rounds} times, interleaved, and returns their medians. */
  public List<Result> run(int users, int rounds) throws IOException, InterruptedException {
    Map<String, List<double[]>> runs = new LinkedHashMap<>();
    Map<String, Long> records = new HashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Contender c : contenders()) {
        double[] measured = measure(c, records);
        runs.computeIfAbsent(c.what, k -> new ArrayList<>()).add(measured);
      }
    }
    List<Result> results = new ArrayList<>();
    runs.forEach(
        (what, r) ->
            results.add(
                new Result(what, records.get(what), median(r, 0), median(r, 1), List.copyOf(r))));
    long expected = users;
    for (Result r : results.subList(0, 3)) {
      if (r.records() != expected) {
        throw new IllegalStateException(
            r.what() + " published " + r.records() + " users, not " + expected);
      }
    }
    return results;
  }

  private record Contender(String what, List<String> command, Map<String, String> env) {}

  private List<Contender> contenders() {
    Map<String, String> sandboxEnv = sandbox.env();
    String prefix = "bench" + UUID.randomUUID().toString().substring(0, 6) + ".";
    Map<String, String> dirpipe = new HashMap<>(sandboxEnv);
    dirpipe.put("DIRPIPE_TOPICS_PREFIX", prefix);
    Map<String, String> baseline = new HashMap<>();
    baseline.put("IDENTITY_ENDPOINT", sandboxEnv.get("IDENTITY_ENDPOINT"));
    baseline.put("IDENTITY_HEADER", sandboxEnv.get("IDENTITY_HEADER"));
    baseline.put("KAFKA_BOOTSTRAP", sandboxEnv.get("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS"));
    baseline.put("SELECT", SELECT);
    Map<String, String> node = new HashMap<>(baseline);
    // the JS client sends tokens only over https: the sandbox's https port serves Graph too
    node.put("GRAPH_BASE_URL", sandboxEnv.get("DIRPIPE_AUTHORITY_HOST"));
    node.put(
        "NODE_EXTRA_CA_CERTS",
        Path.of(sandboxEnv.get("DIRPIPE_TRUSTSTORE")).resolveSibling("sandbox-ca.pem").toString());
    node.put("TOPIC", prefix + "node.users");
    Map<String, String> naive = new HashMap<>(baseline);
    naive.put("GRAPH_BASE_URL", sandboxEnv.get("DIRPIPE_GRAPH_URL"));
    naive.put("TOPIC", prefix + "naive.users");
    return List.of(
        new Contender(
            "dirpipe extract --collections users",
            ChildJvm.command(
                ChildJvm.options(),
                "io.dirpipe.cli.Main",
                List.of("extract", "--collections", "users", "--json")),
            dirpipe),
        new Contender(
            "Node.js: Graph JS PageIterator + kafkajs",
            List.of("node", nodeDir.resolve("extract.mjs").toString()),
            node),
        new Contender(
            "naive Java: Graph SDK PageIterator + KafkaProducer",
            ChildJvm.command(List.of(), NaiveExtract.class.getName(), List.of()),
            naive),
        new Contender(
            "dirpipe extract --collections directoryRoles",
            ChildJvm.command(
                ChildJvm.options(),
                "io.dirpipe.cli.Main",
                List.of("extract", "--collections", "directoryRoles", "--json")),
            dirpipe));
  }

  /** Wall and CPU seconds of one process run, and the records it says it published. */
  private double[] measure(Contender c, Map<String, Long> records)
      throws IOException, InterruptedException {
    MeasuredProcess run =
        MeasuredProcess.run(c.command, c.env, work, c.what.replaceAll("[^A-Za-z]+", "-"));
    records.put(c.what, published(run.output()));
    return new double[] {run.wallSeconds(), run.cpuSeconds()};
  }

  /** {@code {"users": n}} of the baselines, or the run summaries of {@code dirpipe extract}. */
  private static long published(String output) throws IOException {
    JsonNode json = JSON.readTree(output.substring(output.indexOf('{')));
    if (json.has("users")) {
      return json.get("users").asLong();
    }
    long n = 0;
    for (JsonNode run : json.path("runs")) {
      n += run.path("records").asLong();
    }
    return n;
  }

  private static double median(List<double[]> runs, int i) {
    double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  @Override
  public void close() throws InterruptedException {
    sandbox.close();
  }
}
