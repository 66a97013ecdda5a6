package io.dirpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dirpipe bench extract --tenant medium|large}: a FULL extraction of every collection of a
 * large tenant, as a process, against a sandbox process that answers with Graph's latency (about 1
 * s per page of 999 users) and the large-tenant quota (8,000 RU per 10 s), beside the bound no
 * extractor can beat on that service:
 *
 * <ul>
 *   <li>quota: the resource units the run spent beyond the bucket's first 8,000, at 800 RU/s;
 *   <li>chain: the longest sequential cursor: the latency the sandbox added to a collection's
 *       pages, divided among the cursors it was read on (one nextLink cursor waits for each page
 *       before it can ask for the next). Member listings are independent calls: quota-bound.
 * </ul>
 *
 * The bound is the larger of the two.
 */
public final class TenantBench implements AutoCloseable {
  /** Tenant sizes: {@code large} as the issue sets it, {@code medium} a tenth. */
  public enum Preset {
    MEDIUM(100_000, 20_000, 20_000, 2_000),
    LARGE(1_000_000, 200_000, 200_000, 20_000);

    final int users;
    final int groups;
    final int devices;
    final int applications;

    Preset(int users, int groups, int devices, int applications) {
      this.users = users;
      this.groups = groups;
      this.devices = devices;
      this.applications = applications;
    }
  }

  /** One collection's run as dirpipe reported it, with the latency its cursor waited. */
  public record CollectionFigure(
      String collection,
      long records,
      long expected,
      long pages,
      long requests,
      long throttled,
      long resourceUnits,
      double seconds,
      int cursors,
      double chainSeconds) {}

  /** The whole extraction beside its bound. */
  public record Result(
      String tenant,
      List<CollectionFigure> collections,
      double wallSeconds,
      double cpuSeconds,
      long requests,
      long answered429,
      long resourceUnits,
      double quotaSeconds,
      double chainSeconds,
      double boundSeconds,
      boolean countsMatch) {}

  /** RU per second of the large-tenant quota, and its burst (FACTS §7). */
  static final double QUOTA_RATE = 800;

  static final long QUOTA_BURST = 8_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Preset preset;
  private final Path work;
  private final SandboxProcess sandbox;

  public TenantBench(Preset preset) throws IOException {
    this.preset = preset;
    this.work = Files.createTempDirectory("dirpipe-bench-tenant");
    this.sandbox =
        new SandboxProcess(
            List.of(
                "--users",
                Integer.toString(preset.users),
                "--groups",
                Integer.toString(preset.groups),
                "--devices",
                Integer.toString(preset.devices),
                "--apps",
                Integer.toString(preset.applications),
                "--throttle",
                "large",
                "--latency",
                "graph"),
            work.resolve("sandbox.log"));
  }

  public Result run() throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(sandbox.env());
    env.put("DIRPIPE_TOPICS_PREFIX", "bench-" + preset.name().toLowerCase(Locale.ROOT) + ".");
    sandbox.resetStats();
    MeasuredProcess run =
        MeasuredProcess.run(
            ChildJvm.command(
                ChildJvm.options(),
                "io.dirpipe.cli.Main",
                List.of("extract", "--mode", "full", "--json")),
            env,
            work,
            "extract");
    JsonNode stats = sandbox.control("stats");
    JsonNode counts = sandbox.control("tenant").path("counts");
    Map<String, Double> latency = new LinkedHashMap<>();
    long requests = 0;
    long answered429 = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("requests").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("GET /") && !e.getKey().startsWith("GET /msi")) {
        requests += e.getValue().asLong();
        if (e.getKey().endsWith(" 429")) {
          answered429 += e.getValue().asLong();
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("totals").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("latencyMs GET /")) {
        latency.put(e.getKey().substring("latencyMs GET /".length()), e.getValue().asLong() / 1e3);
      }
    }
    List<CollectionFigure> figures = new ArrayList<>();
    boolean match = true;
    double chain = 0;
    for (JsonNode r : JSON.readTree(run.output()).path("runs")) {
      String c = r.path("collection").asText();
      long expected = counts.path(c).asLong(-1);
      if (expected >= 0 && expected != r.path("records").asLong()) {
        match = false;
      }
      if (!r.path("status").asText().equals("completed")) {
        match = false;
      }
      // a collection's pages are read on its cursors (balanced ranges: each waited its share);
      // member listings are independent calls, bound by the quota
      double cursor =
          c.equals("groupMembers")
              ? 0
              : latency.getOrDefault(c, 0.0) / Math.max(1, r.path("cursors").asInt(1));
      chain = Math.max(chain, cursor);
      figures.add(
          new CollectionFigure(
              c,
              r.path("records").asLong(),
              expected,
              r.path("pages").asLong(),
              r.path("requests").asLong(),
              r.path("throttled").asLong(),
              r.path("resourceUnits").asLong(),
              r.path("seconds").asDouble(),
              r.path("cursors").asInt(1),
              cursor));
    }
    long ru = stats.path("totals").path("resourceUnits").asLong();
    double quota = Math.max(0, (ru - QUOTA_BURST) / QUOTA_RATE);
    return new Result(
        preset.name().toLowerCase(Locale.ROOT),
        figures,
        run.wallSeconds(),
        run.cpuSeconds(),
        requests,
        answered429,
        ru,
        quota,
        chain,
        Math.max(quota, chain),
        match);
  }

  @Override
  public void close() throws InterruptedException {
    sandbox.close();
  }
}
