package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.transformer.audit.RunVerifier;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe verify}: prove a run complete from the topics. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Recomputes the record counts and the order-independent digest of a run from its raw topic"
          + " (read_committed), or from the lake's tables with --source lake, and compares them with"
          + " the run's COMPLETED event.",
      "Exit code 0 when they match; 1 with the difference (duplicated ids, ids missing compared with"
          + " the previous FULL run) otherwise."
    })
final class VerifyCommand implements Callable<Integer> {
  private static final int LISTED = 20;

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--run", required = true, paramLabel = "ID", description = "The run id.")
  String runId;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--source",
      paramLabel = "kafka|lake",
      defaultValue = "kafka",
      description =
          "Where the run is read: its raw topic and the runs topic (default), or the lake's"
              + " <collection>_raw and runs Iceberg tables (lake.format iceberg).")
  ReplayCommand.Source source;

  @Override
  public Integer call() throws Exception {
    Map<String, String> values = config.load(Map.of()).values();
    RunVerifier.Source from;
    if (source == ReplayCommand.Source.lake) {
      org.apache.iceberg.catalog.Catalog lake =
          io.dirpipe.sink.iceberg.LakeCatalog.of(new io.dirpipe.sink.SinkConfig(values));
      from = LakeEvidence.of(lake);
    } else {
      TopicsConfig kafka = KafkaWiring.config(values);
      from = RunVerifier.topics(kafka.clients(), kafka.topics());
    }
    boolean atLeastOnce =
        !new TopicsConfig(values).getString(TopicsConfig.GUARANTEE).equals("exactly-once");
    RunVerifier.Result r = RunVerifier.verifyAll(from, List.of(runId), atLeastOnce).get(0);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", r.ok());
      m.put("run", r);
      out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      out.printf(
          "run %s (%s %s, tenant %s): records %d/%d, removed %d/%d, digest %s%n",
          r.runId(),
          r.mode(),
          r.collection(),
          r.tenantId(),
          r.actualRecords(),
          r.expectedRecords(),
          r.actualRemoved(),
          r.expectedRemoved(),
          r.expectedDigest().equals(r.actualDigest())
              ? r.actualDigest()
              : r.actualDigest() + " (RunCompleted says " + r.expectedDigest() + ")");
      list(
          out,
          "written again after a restart (delivery.guarantee=at-least-once; counted once)",
          r.resent());
      if (!r.ok()) {
        list(out, "observed more than once", r.duplicates());
        list(out, "missing (the previous FULL run saw them; or deleted since)", r.missing());
      }
      out.println(r.ok() ? "verified" : "NOT verified");
    }
    return r.ok() ? Main.OK : Main.FAILURE;
  }

  private static void list(PrintWriter out, String what, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    out.printf(
        "%d %s: %s%s%n",
        ids.size(),
        what,
        String.join(", ", ids.subList(0, Math.min(LISTED, ids.size()))),
        ids.size() > LISTED ? ", ..." : "");
  }
}
