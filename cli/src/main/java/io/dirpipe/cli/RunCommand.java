package io.dirpipe.cli;

import io.dirpipe.cli.config.LoadedConfig;
import io.dirpipe.cli.observe.MetricsServer;
import io.dirpipe.cli.observe.Observability;
import io.dirpipe.cli.run.Pipeline;
import io.dirpipe.cli.run.RunConfig;
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
          + " metrics at /metrics and role health at /health on metrics.host:metrics.port (default 9464).",
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
    Shutdown shutdown = Shutdown.onSignals();
    try (Observability observe = new Observability("run", values, RunConfig.DEFAULT_METRICS_PORT)) {
      Pipeline pipeline = new Pipeline(values, observe.registry());
      int port = observe.serve(new MetricsServer.Health(pipeline::stopped, pipeline::health));
      pipeline.start();
      spec.commandLine()
          .getOut()
          .printf(
              "dirpipe run: %s; metrics at http://%s:%d/metrics, health at /health%n",
              String.join(", ", run.roles()), observe.host(), port);
      spec.commandLine().getOut().flush();
      shutdown.await();
      pipeline.stop();
    }
    spec.commandLine().getOut().println("dirpipe run: stopped");
    return Main.OK;
  }
}
