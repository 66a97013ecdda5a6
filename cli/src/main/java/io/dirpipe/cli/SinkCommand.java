package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.cli.config.LoadedConfig;
import io.dirpipe.cli.observe.ConsumerLag;
import io.dirpipe.cli.observe.MetricsServer;
import io.dirpipe.cli.observe.Observability;
import io.dirpipe.cli.observe.RoleMeters;
import io.dirpipe.cli.run.Sinks;
import io.dirpipe.core.Time;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dirpipe sink lake|loganalytics}: deliver the topics, committing after durable writes. */
@Command(
    name = "sink",
    mixinStandardHelpOptions = true,
    description = {
      "Delivers the topics to Log Analytics (loganalytics: change events, membership changes and run"
          + " events through the Logs Ingestion API) or to the data lake (lake: Parquet files of the raw,"
          + " change and membership topics, and inventory snapshots).",
      "Offsets are committed only after a durable write; what can never be delivered goes to"
          + " dlq.<sink> with the reason in headers."
    })
final class SinkCommand implements Callable<Integer> {
  enum Kind {
    lake,
    loganalytics
  }

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(index = "0", paramLabel = "lake|loganalytics", description = "Which sink.")
  Kind kind;

  @Option(
      names = "--until-idle",
      paramLabel = "D",
      description =
          "Exit 0 once no record arrived for D (5s, 1m) and every partition is read to its end.")
  Duration untilIdle;

  @Option(names = "--json", description = "Print the counts as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    LoadedConfig loaded = config.load(Map.of());
    long t0 = System.nanoTime();
    SinkStats stats;
    try (Observability observe = new Observability("sink-" + kind, loaded.values(), null);
        Sinks.Wired sink = Sinks.wire(kind.name(), loaded.values())) {
      SinkRunner runner = sink.runner();
      stats = sink.stats();
      RoleMeters.sink(observe.registry(), kind.name(), stats);
      observe.own(
          new ConsumerLag(
              observe.registry(),
              KafkaWiring.config(loaded.values()).clients(),
              sink.group(),
              sink.inputs(),
              Time.SYSTEM));
      observe.serve(
          MetricsServer.Health.readyWhen(
              () -> runner.polling() ? null : "sink not yet in its group"));
      if (untilIdle == null) {
        Shutdown shutdown = Shutdown.onSignals();
        Thread stopper =
            new Thread(
                () -> {
                  try {
                    shutdown.await();
                    runner.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sink-shutdown");
        stopper.setDaemon(true);
        stopper.start();
      }
      try {
        runner.run(untilIdle);
      } finally {
        runner.close();
      }
    }
    print(stats, (System.nanoTime() - t0) / 1e9);
    return Main.OK;
  }

  private void print(SinkStats stats, double seconds) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>(stats.snapshot());
    out.put("seconds", seconds);
    if (json) {
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
    } else {
      spec.commandLine().getOut().println(kind + ": " + out);
    }
  }
}
