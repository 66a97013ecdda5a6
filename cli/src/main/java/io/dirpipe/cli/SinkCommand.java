package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.cli.config.LoadedConfig;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.Credentials;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.TopicSetup;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.TopicsConfig;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import io.dirpipe.sink.lake.BlobLakeStore;
import io.dirpipe.sink.lake.LakeSink;
import io.dirpipe.sink.lake.LakeStore;
import io.dirpipe.sink.lake.LocalLakeStore;
import io.dirpipe.sink.loganalytics.LogAnalyticsSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
    SinkConfig sink = new SinkConfig(loaded.values());
    TopicsConfig kafkaConfig = new TopicsConfig(loaded.values());
    Map<String, Object> kafka = kafkaConfig.kafkaProperties();
    Topics topics = kafkaConfig.topics();
    SinkStats stats = new SinkStats();
    Topic<byte[], byte[]> dlq = topics.deadLetters(kind.name());
    long t0 = System.nanoTime();
    try (DeadLetters deadLetters = new DeadLetters(kafka, dlq, stats)) {
      SinkRunner.Delivery delivery;
      List<Topic<?, ?>> inputs;
      String group;
      if (kind == Kind.loganalytics) {
        IdentityConfig identity = new IdentityConfig(loaded.values());
        LogAnalyticsSink la =
            LogAnalyticsSink.create(
                sink,
                Credentials.build(identity),
                Credentials.httpClient(identity),
                topics,
                deadLetters,
                stats);
        delivery = la;
        inputs = la.topics();
        group = sink.getString(SinkConfig.LOGS_GROUP);
      } else {
        LakeSink lake =
            new LakeSink(sink, topics, lakeStore(sink, loaded), kafka, deadLetters, stats);
        delivery = lake;
        inputs = lake.topics();
        group = sink.getString(SinkConfig.LAKE_GROUP);
      }
      List<Topic<?, ?>> created = new java.util.ArrayList<>(inputs);
      created.add(dlq);
      TopicSetup.ensure(kafka, created, 3); // to subscribe, the inputs must exist
      SinkRunner runner =
          new SinkRunner(kafka, group, inputs.stream().map(Topic::name).toList(), delivery, stats);
      Shutdown shutdown = untilIdle == null ? Shutdown.onSignals() : null;
      if (shutdown != null) {
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

  static LakeStore lakeStore(SinkConfig sink, LoadedConfig loaded) {
    String root = sink.getString(SinkConfig.LAKE_ROOT);
    if (!root.matches("(?i)(abfss?|https?)://.*")) {
      return new LocalLakeStore(Path.of(root));
    }
    var connection = sink.getPassword(SinkConfig.LAKE_CONNECTION_STRING);
    IdentityConfig identity = new IdentityConfig(loaded.values());
    return BlobLakeStore.of(
        root,
        connection == null ? null : connection.value(),
        connection == null ? Credentials.build(identity) : null,
        Credentials.httpClient(identity));
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
