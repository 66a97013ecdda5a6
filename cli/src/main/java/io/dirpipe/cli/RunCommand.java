package io.dirpipe.cli;

import io.dirpipe.cli.config.LoadedConfig;
import io.dirpipe.cli.run.MetricsServer;
import io.dirpipe.cli.run.Pipeline;
import io.dirpipe.cli.run.RunConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dirpipe run}: every role in one process, with /metrics and /health. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the roles of run.roles in one process (a small deployment): DELTA extraction every"
          + " run.interval, the transformer, the lake and Log Analytics sinks. Serves Prometheus"
          + " metrics at /metrics and role health at /health on run.metrics-host:run.metrics-port.",
      "SIGTERM or Ctrl-C stops the roles in order and exits 0; whatever was in flight resumes on the"
          + " next start."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    LoadedConfig loaded = config.load(Map.of());
    Map<String, Object> values = new HashMap<>(loaded.values());
    RunConfig run = new RunConfig(values);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    Shutdown shutdown = Shutdown.onSignals();
    Pipeline pipeline = new Pipeline(values, registry);
    try (MetricsServer server =
        new MetricsServer(
            run.getString(RunConfig.METRICS_HOST),
            run.getInt(RunConfig.METRICS_PORT),
            registry,
            pipeline::health)) {
      pipeline.start();
      spec.commandLine()
          .getOut()
          .printf(
              "dirpipe run: %s; metrics at http://%s:%d/metrics, health at /health%n",
              String.join(", ", run.roles()), run.getString(RunConfig.METRICS_HOST), server.port());
      spec.commandLine().getOut().flush();
      shutdown.await();
      pipeline.stop();
    }
    spec.commandLine().getOut().println("dirpipe run: stopped");
    return Main.OK;
  }
}
