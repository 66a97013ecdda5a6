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

  /**
   * The whole extraction beside its bound; {@code batches}: the HTTP requests that carried JSON
   * batches of member listings (each listing is counted in {@code requests} too).
   */
  public record Result(
      String tenant,
      List<CollectionFigure> collections,
      double wallSeconds,
      double cpuSeconds,
      long peakOldGenMb,
      long requests,
      long batches,
      long answered429,
      long resourceUnits,
      double quotaSeconds,
      double chainSeconds,
      double boundSeconds,
      boolean countsMatch,
      DeltaMembership deltaMembership,
      NaiveSample naive) {}

  /**
   * Groups and their memberships read the other way Graph offers: the initial round of a groups
   * delta query with {@code members} ({@code dirpipe extract --mode delta --collections
   * groups,groupMembers} with no stored delta link), one sequential cursor; its bound is the larger
   * of its quota time and the latency that cursor waited. Measured on the medium tenant only (null
   * on the large one).
   */
  public record DeltaMembership(
      double wallSeconds,
      double cpuSeconds,
      long records,
      long expected,
      long requests,
      long resourceUnits,
      double chainSeconds,
      double boundSeconds) {}

  /**
   * The naive baseline ({@link NaiveExtract} with {@code GROUPS}): the memberships of the first
   * {@code groups} groups one call after the other, and the time all the tenant's groups would take
   * at that pace (a lower bound of its whole run: the other collections come on top).
   */
  public record NaiveSample(
      int groups, long edges, double wallSeconds, double cpuSeconds, double projectedSeconds) {}

  /** Groups the naive baseline lists members of: enough for a steady pace, a minute or so. */
  static final int NAIVE_GROUPS = 200;

  /** What the sandbox counted while one process ran. */
  private record Traffic(
      long requests,
      long batches,
      long answered429,
      long resourceUnits,
      Map<String, Double> latency) {}

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
    sandbox.resetStats();
    MeasuredProcess run = extract("full", List.of("extract", "--mode", "full", "--json"));
    Traffic traffic = traffic();
    JsonNode counts = sandbox.control("tenant").path("counts");
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
              : traffic.latency().getOrDefault(c, 0.0) / Math.max(1, r.path("cursors").asInt(1));
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
    double quota = quotaSeconds(traffic.resourceUnits());
    // the delta round's one cursor waits ~1 s per 13,000 member references: on the large tenant
    // that is over 20 minutes, so the comparison runs on the medium one
    long edges =
        figures.stream()
            .filter(f -> f.collection().equals("groupMembers"))
            .mapToLong(CollectionFigure::records)
            .sum();
    DeltaMembership delta = preset == Preset.MEDIUM ? deltaMembership(counts, edges) : null;
    NaiveSample naive = naive(counts.path("groups").asLong());
    return new Result(
        preset.name().toLowerCase(Locale.ROOT),
        figures,
        run.wallSeconds(),
        run.cpuSeconds(),
        JSON.readTree(run.output()).path("peakOldGenMb").asLong(-1),
        traffic.requests(),
        traffic.batches(),
        traffic.answered429(),
        traffic.resourceUnits(),
        quota,
        chain,
        Math.max(quota, chain),
        match,
        delta,
        naive);
  }

  private MeasuredProcess extract(String name, List<String> args)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(sandbox.env());
    env.put(
        "DIRPIPE_TOPICS_PREFIX",
        "bench-" + preset.name().toLowerCase(Locale.ROOT) + "-" + name + ".");
    return MeasuredProcess.run(
        ChildJvm.command(ChildJvm.options(), "io.dirpipe.cli.Main", args), env, work, name);
  }

  private static double quotaSeconds(long resourceUnits) {
    return Math.max(0, (resourceUnits - QUOTA_BURST) / QUOTA_RATE);
  }

  /** {@code edges}: the memberships the FULL run published (the sandbox does not count them). */
  private DeltaMembership deltaMembership(JsonNode counts, long edges)
      throws IOException, InterruptedException {
    sandbox.resetStats();
    MeasuredProcess run =
        extract(
            "delta",
            List.of(
                "extract", "--mode", "delta", "--collections", "groups,groupMembers", "--json"));
    Traffic traffic = traffic();
    long records = 0;
    for (JsonNode r : JSON.readTree(run.output()).path("runs")) {
      records += r.path("records").asLong();
    }
    double chain = traffic.latency().getOrDefault("groups/delta", 0.0);
    return new DeltaMembership(
        run.wallSeconds(),
        run.cpuSeconds(),
        records,
        counts.path("groups").asLong() + edges,
        traffic.requests(),
        traffic.resourceUnits(),
        chain,
        Math.max(quotaSeconds(traffic.resourceUnits()), chain));
  }

  private NaiveSample naive(long groups) throws IOException, InterruptedException {
    Map<String, String> sandboxEnv = sandbox.env();
    Map<String, String> env = new HashMap<>();
    env.put("IDENTITY_ENDPOINT", sandboxEnv.get("IDENTITY_ENDPOINT"));
    env.put("IDENTITY_HEADER", sandboxEnv.get("IDENTITY_HEADER"));
    env.put("KAFKA_BOOTSTRAP", sandboxEnv.get("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS"));
    env.put("GRAPH_BASE_URL", sandboxEnv.get("DIRPIPE_GRAPH_URL"));
    env.put("TOPIC", "bench-" + preset.name().toLowerCase(Locale.ROOT) + "-naive.members");
    env.put("GROUPS", Integer.toString(NAIVE_GROUPS));
    MeasuredProcess run =
        MeasuredProcess.run(
            ChildJvm.command(List.of(), NaiveExtract.class.getName(), List.of()),
            env,
            work,
            "naive-members");
    JsonNode out = JSON.readTree(run.output());
    int listed = out.path("groups").asInt();
    return new NaiveSample(
        listed,
        out.path("edges").asLong(),
        run.wallSeconds(),
        run.cpuSeconds(),
        run.wallSeconds() * groups / Math.max(1, listed));
  }

  /** Graph requests (a batch's each counted, the batch not), 429s, RU and latency waited. */
  private Traffic traffic() throws IOException, InterruptedException {
    JsonNode stats = sandbox.control("stats");
    Map<String, Double> latency = new LinkedHashMap<>();
    long requests = 0;
    long batches = 0;
    long answered429 = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("requests").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("GET /") && !e.getKey().startsWith("GET /msi")) {
        requests += e.getValue().asLong();
        if (e.getKey().endsWith(" 429")) {
          answered429 += e.getValue().asLong();
        }
      } else if (e.getKey().startsWith("POST /$batch")) {
        batches += e.getValue().asLong();
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("totals").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("latencyMs GET /")) {
        latency.put(e.getKey().substring("latencyMs GET /".length()), e.getValue().asLong() / 1e3);
      }
    }
    return new Traffic(
        requests,
        batches,
        answered429,
        stats.path("totals").path("resourceUnits").asLong(),
        latency);
  }

  @Override
  public void close() throws InterruptedException {
    sandbox.close();
  }
}
