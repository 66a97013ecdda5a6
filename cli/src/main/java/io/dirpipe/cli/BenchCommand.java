package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sandbox.bench.PageServingBench;
import java.io.PrintWriter;
import java.util.Locale;
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
      description = "sandbox (default: ${DEFAULT-VALUE})")
  String scenario;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "200000",
      description = "Users in the tenant (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!scenario.equals("sandbox")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Unknown scenario '" + scenario + "': use sandbox.");
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
