package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.cli.demo.Demo;
import io.dirpipe.cli.demo.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe demo}: the whole pipeline on an emulated tenant, with counts that must agree. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an emulated tenant and a Kafka broker in this process, then runs the extractor, the"
          + " transformer and both sinks as child processes configured by the tenant's environment"
          + " (its managed identity): a FULL extraction, a burst of changes, a DELTA run, the"
          + " transformer and sinks draining. Prints each stage and a summary.",
      "Exit code 0 only when every count agrees across the stages and every run verifies."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "20000",
      description = "Users in the tenant (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--groups",
      paramLabel = "N",
      description = "Groups in the tenant (default: one per 100 users).")
  Integer groups;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Option(names = "--keep", description = "Keep ./demo-data (topics, state, lake, logs).")
  boolean keep;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "demo-data",
      description = "Where the demo keeps its data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    delete(dataDir);
    PrintWriter progress = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    Summary summary;
    try {
      summary =
          new Demo(
                  new Demo.Options(
                      users,
                      groups == null ? Math.max(5, users / 100) : groups,
                      dataDir,
                      !json && System.console() != null),
                  progress)
              .run();
    } finally {
      if (!keep) {
        delete(dataDir);
      }
    }
    if (json) {
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(summary.toJson()));
    } else {
      summary.print(spec.commandLine().getOut());
    }
    return summary.ok() ? Main.OK : Main.FAILURE;
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
