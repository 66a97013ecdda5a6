package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.cli.config.LoadedConfig;
import io.dirpipe.cli.observe.ConsumerLag;
import io.dirpipe.cli.observe.MetricsServer;
import io.dirpipe.cli.observe.Observability;
import io.dirpipe.cli.observe.RoleMeters;
import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.transformer.Transformer;
import io.dirpipe.transformer.TransformerConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe transform}: raw observations into change events, edges and the inventory. */
@Command(
    name = "transform",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Kafka Streams application that turns the raw topics into change events"
          + " (changes.<collection>), membership edges (changes.memberships) and the compacted"
          + " inventory.<collection> topics, exactly once.",
      "Runs until Ctrl-C or SIGTERM, or with --until-idle until everything published is transformed."
    })
final class TransformCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--until-idle",
      paramLabel = "D",
      description =
          "Exit 0 once no observation arrived for D (5s, 1m, PT5S) and every raw topic is read to its end.")
  Duration untilIdle;

  @Option(names = "--json", description = "Print the counts as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    LoadedConfig loaded = config.load(Map.of());
    TransformerConfig transform = new TransformerConfig(loaded.values());
    TopicsConfig kafka = KafkaWiring.config(loaded.values());
    Shutdown shutdown = untilIdle == null ? Shutdown.onSignals() : null;
    long t0 = System.nanoTime();
    try (Observability observe = new Observability("transform", loaded.values(), null);
        Transformer transformer = new Transformer(transform, kafka.clients(), kafka.topics())) {
      transformer.start();
      RoleMeters.transformer(observe.registry(), transformer, transform);
      observe.own(
          new ConsumerLag(
              observe.registry(),
              kafka.clients(),
              transform.applicationId(),
              transform.collections().stream().map(c -> kafka.topics().raw(c).name()).toList(),
              Time.SYSTEM));
      observe.serve(new MetricsServer.Health(transformer::problem, transformer::notRunning));
      if (untilIdle != null) {
        transformer.awaitIdle(untilIdle);
      } else {
        shutdown.await();
      }
      print(transformer, (System.nanoTime() - t0) / 1e9);
    }
    return Main.OK;
  }

  private void print(Transformer t, double seconds) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var counts = t.stats().snapshot();
    if (json) {
      out.println(
          new ObjectMapper().writeValueAsString(Map.of("collections", counts, "seconds", seconds)));
      return;
    }
    out.printf(
        "%-18s %10s %9s %9s %9s %9s %9s%n",
        "collection", "input", "CREATE", "UPDATE", "DELETE", "ADD", "REMOVE");
    counts.forEach(
        (c, m) ->
            out.printf(
                "%-18s %10d %9d %9d %9d %9d %9d%n",
                c,
                m.getOrDefault("input", 0L),
                m.getOrDefault("CREATE", 0L),
                m.getOrDefault("UPDATE", 0L),
                m.getOrDefault("DELETE", 0L),
                m.getOrDefault("ADD", 0L),
                m.getOrDefault("REMOVE", 0L)));
  }
}
