package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.bench.EndToEndBench;
import io.dirpipe.bench.ExtractBench;
import io.dirpipe.bench.SinkBench;
import io.dirpipe.bench.TenantBench;
import io.dirpipe.bench.TransformBench;
import io.dirpipe.sandbox.bench.PageServingBench;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dirpipe bench}: benchmarks against the sandbox, each beside its baseline in the same run.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a benchmark against the sandbox and prints its figures beside the baseline measured in the same run.",
      "Scenarios: sandbox (Graph pages of 999 users with $select served by the sandbox; baseline: the same"
          + " HTTP stack serving one static page); extract (extraction beside the naive Graph SDK +"
          + " producer baseline and the limits); transform (change detection on a large snapshot beside"
          + " the raw read limit, and delta-to-inventory latency); sink (change events into the lake and into"
          + " Log Analytics, beside the read limit and the naive client use)."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      defaultValue = "sandbox",
      paramLabel = "SCENARIO",
      description = "sandbox, extract, transform or sink (default: ${DEFAULT-VALUE})")
  String scenario;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "200000",
      description = "Users in the tenant (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--end-to-end",
      description =
          "extract: time the processes a user starts (dirpipe extract, a Node.js and a naive Java"
              + " baseline) against a sandbox in its own process, wall and CPU seen from outside.")
  boolean endToEnd;

  @Option(
      names = "--tenant",
      paramLabel = "medium|large",
      description =
          "extract: a FULL extraction of every collection of a large tenant (1,000,000 users, 200,000"
              + " groups, 200,000 devices, 20,000 apps; medium: a tenth) against a sandbox process"
              + " with Graph's latency and quota, beside the bound.")
  String tenant;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "extract --end-to-end: runs of each contender; medians are reported (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--groups",
      paramLabel = "N",
      defaultValue = "12000",
      description = "extract: groups of the throttled scenario (default: ${DEFAULT-VALUE}).")
  int groups;

  @Option(
      names = "--large-users",
      paramLabel = "N",
      defaultValue = "1000000",
      description =
          "extract: users of the large tenant of the memory scenario (default: ${DEFAULT-VALUE}).")
  int largeUsers;

  @Option(
      names = "--objects",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "transform: objects of the full snapshot (default: ${DEFAULT-VALUE}).")
  int objects;

  @Option(
      names = "--latency-seconds",
      paramLabel = "S",
      defaultValue = "60",
      description =
          "transform: how long the latency scenario changes users, one every 0.5 s (default: ${DEFAULT-VALUE}).")
  int latencySeconds;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "200000",
      description = "sink: change events delivered (default: ${DEFAULT-VALUE}).")
  int events;

  private Integer sink() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (SinkBench bench = new SinkBench()) {
      List<SinkBench.Figure> lake = bench.lake(events);
      List<SinkBench.Figure> logs = bench.logAnalytics(events);
      if (json) {
        out.println(
            new ObjectMapper().writeValueAsString(Map.of("lake", lake, "logAnalytics", logs)));
        return Main.OK;
      }
      out.printf(
          Locale.ROOT,
          "sink, %d change events (UPDATE of a user, before and after), %d cores%n",
          events,
          Runtime.getRuntime().availableProcessors());
      for (SinkBench.Figure f : lake) {
        out.printf(
            Locale.ROOT,
            "  %-72s %9.0f events/s %9.0f rows/s  (%.1f s)%n",
            f.what(),
            f.perSecond(),
            f.rowsPerSecond(),
            f.seconds());
      }
      out.printf(
          Locale.ROOT,
          "  lake target >= 50,000 rows/s: %s%n",
          lake.get(1).perSecond() >= 50_000 ? "met" : "NOT met");
      double icebergRows = lake.get(2).rowsPerSecond() / lake.get(1).rowsPerSecond();
      out.printf(
          Locale.ROOT,
          "  Iceberg target >= 0.7x the Parquet writer's rows/s: %s (%.2fx; by events %.2fx, each"
              + " event two rows)%n",
          icebergRows >= 0.7 ? "met" : "NOT met",
          icebergRows,
          lake.get(2).perSecond() / lake.get(1).perSecond());
      for (SinkBench.Figure f : logs) {
        out.printf(
            Locale.ROOT, "  %-72s %9.0f rows/s  (%.1f s)%n", f.what(), f.perSecond(), f.seconds());
      }
      out.printf(
          Locale.ROOT,
          "  Log Analytics target >= 20,000 rows/s: %s (%.1fx the baseline)%n",
          logs.get(1).perSecond() >= 20_000 ? "met" : "NOT met",
          logs.get(1).perSecond() / logs.get(0).perSecond());
      return Main.OK;
    }
  }

  private Integer transform() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (TransformBench bench = new TransformBench()) {
      TransformBench.Snapshot snapshot = bench.snapshot(objects);
      TransformBench.Latency latency =
          bench.latency(
              10_000,
              Duration.ofSeconds(5),
              Duration.ofMillis(500),
              Duration.ofSeconds(latencySeconds));
      if (json) {
        out.println(
            new ObjectMapper()
                .writeValueAsString(Map.of("snapshot", snapshot, "latency", latency)));
        return Main.OK;
      }
      out.printf(
          Locale.ROOT,
          "transform, full snapshots of %d users (run 2: 1%% updated, 0.5%% gone, 0.5%% new), %d cores%n",
          snapshot.objects(),
          Runtime.getRuntime().availableProcessors());
      for (TransformBench.Figure f : snapshot.figures()) {
        out.printf(
            Locale.ROOT,
            "  %-62s %9.0f records/s  (%.1f s)%n",
            f.what(),
            f.perSecond(),
            f.seconds());
      }
      double diff = snapshot.figures().get(2).perSecond();
      out.printf(
          Locale.ROOT,
          "  diff rate %.0f records/s (target >= 30,000: %s); %d change events; state stores %d MB%n",
          diff,
          diff >= 30_000 ? "met" : "NOT met",
          snapshot.changeEvents(),
          snapshot.stateBytes() >> 20);
      out.printf(
          Locale.ROOT,
          "transform, delta to inventory: extract --follow --interval %ds, one user changed every 0.5 s%n",
          latency.intervalMillis() / 1000);
      out.printf(
          Locale.ROOT,
          "  %d changes: p50 %.1f s, p99 %.1f s, max %.1f s (target p99 <= 7 s: %s)%n",
          latency.samples(),
          latency.p50Millis() / 1000.0,
          latency.p99Millis() / 1000.0,
          latency.maxMillis() / 1000.0,
          latency.p99Millis() <= 7000 ? "met" : "NOT met");
      return Main.OK;
    }
  }

  private Integer endToEnd() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<EndToEndBench.Result> results;
    try (EndToEndBench bench =
        new EndToEndBench(
            nodeBaseline(), List.of("--users", Integer.toString(users), "--throttle", "off"))) {
      results = bench.run(users, rounds);
    }
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(Map.of("endToEnd", results)));
      return Main.OK;
    }
    out.printf(
        Locale.ROOT,
        "extract, end to end: processes started against a sandbox process, %d users, %d cores, median of %d%n",
        users,
        Runtime.getRuntime().availableProcessors(),
        rounds);
    for (EndToEndBench.Result r : results) {
      out.printf(
          Locale.ROOT,
          "  %-52s %7d records %6.1f s wall %6.1f CPU s  (%.2f CPU s per 100k)%n",
          r.what(),
          r.records(),
          r.wallSeconds(),
          r.cpuSeconds(),
          r.cpuSeconds() * 100_000 / Math.max(1, r.records()));
    }
    EndToEndBench.Result dirpipe = results.get(0);
    EndToEndBench.Result node = results.get(1);
    EndToEndBench.Result naive = results.get(2);
    out.printf(
        Locale.ROOT,
        "  dirpipe / Node.js: CPU %.2fx (target <= 0.5x), wall %.2fx (target < 1x); dirpipe / naive Java: CPU %.2fx, wall %.2fx%n",
        dirpipe.cpuSeconds() / node.cpuSeconds(),
        dirpipe.wallSeconds() / node.wallSeconds(),
        dirpipe.cpuSeconds() / naive.cpuSeconds(),
        dirpipe.wallSeconds() / naive.wallSeconds());
    out.printf(
        Locale.ROOT,
        "  directory roles alone (the fixed cost of a run): %.1f CPU s (target <= 3)%n",
        results.get(3).cpuSeconds());
    return Main.OK;
  }

  private Integer tenantBench() throws Exception {
    TenantBench.Preset preset;
    try {
      preset = TenantBench.Preset.valueOf(tenant.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--tenant must be medium or large, not '" + tenant + "'.");
    }
    PrintWriter out = spec.commandLine().getOut();
    TenantBench.Result r;
    try (TenantBench bench = new TenantBench(preset)) {
      r = bench.run();
    }
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(r));
      return Main.OK;
    }
    out.printf(
        Locale.ROOT,
        "extract, %s tenant, FULL, Graph latency (~1 s per 999 users) and quota (8,000 RU / 10 s), %d cores%n",
        r.tenant(),
        Runtime.getRuntime().availableProcessors());
    for (TenantBench.CollectionFigure c : r.collections()) {
      out.printf(
          Locale.ROOT,
          "  %-18s %9d records (tenant %9s) %6d requests %7d RU %4d throttled %7.1f s  (%d cursor(s), each waited %.1f s)%n",
          c.collection(),
          c.records(),
          c.expected() < 0 ? "-" : Long.toString(c.expected()),
          c.requests(),
          c.resourceUnits(),
          c.throttled(),
          c.seconds(),
          c.cursors(),
          c.chainSeconds());
    }
    out.printf(
        Locale.ROOT,
        "  total: %.1f s wall, %.1f CPU s, peak old generation %d MB; %d requests (member listings in %d JSON batches), %d answered 429 (%.2f%%; target <= 1%%), %d RU%n",
        r.wallSeconds(),
        r.cpuSeconds(),
        r.peakOldGenMb(),
        r.requests(),
        r.batches(),
        r.answered429(),
        100.0 * r.answered429() / Math.max(1, r.requests()),
        r.resourceUnits());
    out.printf(
        Locale.ROOT,
        "  bound: %.1f s = max(quota %.1f s, longest cursor %.1f s); dirpipe / bound = %.2fx (target <= 1.15x); counts %s%n",
        r.boundSeconds(),
        r.quotaSeconds(),
        r.chainSeconds(),
        r.wallSeconds() / r.boundSeconds(),
        r.countsMatch() ? "equal the tenant's" : "DIFFER from the tenant's");
    TenantBench.DeltaMembership d = r.deltaMembership();
    if (d != null) {
      out.printf(
          Locale.ROOT,
          "groups and memberships as the initial round of a groups delta query (one cursor): %.1f s wall, %.1f CPU s, %d requests, %d RU; %d records (tenant %d); bound %.1f s (its cursor waited %.1f s)%n",
          d.wallSeconds(),
          d.cpuSeconds(),
          d.requests(),
          d.resourceUnits(),
          d.records(),
          d.expected(),
          d.boundSeconds(),
          d.chainSeconds());
    }
    TenantBench.NaiveSample n = r.naive();
    out.printf(
        Locale.ROOT,
        "naive baseline (SDK PageIterator, one members call after another): %d groups, %d edges in %.1f s wall (%.1f CPU s); all %s groups at that pace: %.0f s, %.1fx dirpipe's whole run (target >= 10x)%n",
        n.groups(),
        n.edges(),
        n.wallSeconds(),
        n.cpuSeconds(),
        r.collections().stream()
            .filter(c -> c.collection().equals("groups"))
            .map(c -> Long.toString(c.expected()))
            .findFirst()
            .orElse("?"),
        n.projectedSeconds(),
        n.projectedSeconds() / r.wallSeconds());
    boolean deltaMatch = d == null || d.records() == d.expected();
    return r.countsMatch() && deltaMatch ? Main.OK : 1;
  }

  /** {@code bench/node} of the checkout this dirpipe was built in. */
  private static java.nio.file.Path nodeBaseline() throws java.net.URISyntaxException {
    java.nio.file.Path built =
        java.nio.file.Path.of(
            BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // cli/target/dirpipe.jar or cli/target/classes
    return built.getParent().getParent().getParent().resolve("bench").resolve("node");
  }

  private Integer extract() throws Exception {
    if (endToEnd) {
      return endToEnd();
    }
    if (tenant != null) {
      return tenantBench();
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ExtractBench bench = new ExtractBench()) {
      List<ExtractBench.Figure> figures = bench.unthrottled(users);
      ExtractBench.Throttled throttled = bench.throttled(groups);
      ExtractBench.Memory memory = bench.memory(largeUsers / 10, largeUsers);
      if (json) {
        out.println(
            new ObjectMapper()
                .writeValueAsString(
                    Map.of("unthrottled", figures, "throttled", throttled, "memory", memory)));
        return Main.OK;
      }
      out.printf(
          Locale.ROOT,
          "extract, unthrottled, %d users, %d cores%n",
          users,
          Runtime.getRuntime().availableProcessors());
      for (ExtractBench.Figure f : figures) {
        out.printf(
            Locale.ROOT, "  %-54s %9.0f users/s  (%.1f s)%n", f.what(), f.perSecond(), f.seconds());
      }
      double dirpipe = figures.get(3).perSecond();
      double lower = Math.min(figures.get(1).perSecond(), figures.get(2).perSecond());
      out.printf(
          Locale.ROOT,
          "  dirpipe / baseline = %.1fx (target >= 5x); dirpipe / lower limit = %.0f%% (target >= 60%%)%n",
          dirpipe / figures.get(0).perSecond(),
          100 * dirpipe / lower);
      out.printf(
          Locale.ROOT,
          "extract, throttled (8,000 RU / 10 s), memberships of %d groups%n",
          throttled.groups());
      out.printf(
          Locale.ROOT,
          "  %d RU in %.1f s = %.0f%% of the %d RU the quota allowed (burst + refill); %d of %d requests answered 429 (%.2f%%; target <= 1%%)%n",
          throttled.resourceUnits(),
          throttled.seconds(),
          100.0 * throttled.resourceUnits() / throttled.allowedUnits(),
          throttled.allowedUnits(),
          throttled.throttled(),
          throttled.requests(),
          100.0 * throttled.throttled() / Math.max(1, throttled.requests()));
      out.printf(
          Locale.ROOT,
          "extract, memory: peak live heap (after collections) %d MB at %d users, %d MB at %d users: %.2fx (target <= 1.5x)%n",
          memory.smallPeakBytes() >> 20,
          memory.smallUsers(),
          memory.largePeakBytes() >> 20,
          memory.largeUsers(),
          (double) memory.largePeakBytes() / memory.smallPeakBytes());
      return Main.OK;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (scenario.equals("extract")) {
      return extract();
    }
    if (scenario.equals("transform")) {
      return transform();
    }
    if (scenario.equals("sink")) {
      return sink();
    }
    if (!scenario.equals("sandbox")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "Unknown scenario '" + scenario + "': use sandbox, extract, transform or sink.");
    }
    PageServingBench.Result r = new PageServingBench().run(users);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(r));
      return Main.OK;
    }
    out.printf(
        Locale.ROOT,
        "sandbox: %d users, %d pages of 999 with $select (%d KB per page), %d cores%n",
        r.users(),
        r.pages(),
        r.pageBytes() / 1024,
        Runtime.getRuntime().availableProcessors());
    out.printf(
        Locale.ROOT, "  %-46s %10.1f s%n", "tenant generated, servers ready", r.startSeconds());
    out.printf(
        Locale.ROOT,
        "  %-46s %10.1f pages/s %12.0f users/s%n",
        "sandbox, one reader",
        r.pagesPerSecond(),
        r.usersPerSecond());
    out.printf(
        Locale.ROOT,
        "  %-46s %10.1f pages/s%n",
        "sandbox, two concurrent readers (total)",
        r.twoReadersPagesPerSecond());
    out.printf(
        Locale.ROOT,
        "  %-46s %10.1f pages/s%n",
        "baseline: same HTTP stack, one static page",
        r.staticPagesPerSecond());
    out.printf(
        Locale.ROOT, "  target: 50 pages/s -> %s%n", r.pagesPerSecond() >= 50 ? "met" : "NOT met");
    return Main.OK;
  }
}
