package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.bench.ExtractBench;
import io.dirpipe.sandbox.bench.PageServingBench;
import java.io.PrintWriter;
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
          + " HTTP stack serving one static page)."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      defaultValue = "sandbox",
      paramLabel = "SCENARIO",
      description = "sandbox or extract (default: ${DEFAULT-VALUE})")
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

  private Integer extract() throws Exception {
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
    if (!scenario.equals("sandbox")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Unknown scenario '" + scenario + "': use sandbox or extract.");
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
