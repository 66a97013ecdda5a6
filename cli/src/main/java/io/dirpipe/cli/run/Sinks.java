package io.dirpipe.cli.run;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.Credentials;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sink wired from configuration, for {@code dirpipe sink} and {@code dirpipe run}: its delivery
 * (Log Analytics or the lake, with the identity's credential where Azure is reached), its
 * dead-letter producer, its topics created when missing, and its consumer loop.
 */
public final class Sinks {
  private Sinks() {}

  /** A sink ready to run. Close it after its runner returned. */
  public record Wired(
      SinkRunner runner,
      DeadLetters deadLetters,
      SinkStats stats,
      String group,
      List<String> inputs)
      implements AutoCloseable {
    @Override
    public void close() {
      deadLetters.close();
    }
  }

  /**
   * @param kind {@code lake} or {@code loganalytics}
   * @param values the loaded configuration
   */
  public static Wired wire(String kind, Map<String, ?> values) {
    SinkConfig config = new SinkConfig(values);
    TopicsConfig kafkaConfig = io.dirpipe.cli.KafkaWiring.config(values);
    KafkaClients kafka = kafkaConfig.clients();
    Topics topics = kafkaConfig.topics();
    SinkStats stats = new SinkStats();
    Topic<byte[], byte[]> dlq = topics.deadLetters(kind);
    DeadLetters deadLetters = new DeadLetters(kafka, dlq, stats);
    try {
      SinkRunner.Delivery delivery;
      List<Topic<?, ?>> inputs;
      String group;
      if (kind.equals("loganalytics")) {
        IdentityConfig identity = new IdentityConfig(values);
        LogAnalyticsSink la =
            LogAnalyticsSink.create(
                config,
                Credentials.build(identity),
                Credentials.httpClient(identity),
                topics,
                deadLetters,
                stats,
                Time.SYSTEM);
        delivery = la;
        inputs = la.topics();
        group = config.getString(SinkConfig.LOGS_GROUP);
      } else if (config.getString(SinkConfig.LAKE_FORMAT).equals("iceberg")) {
        io.dirpipe.sink.iceberg.IcebergSink iceberg =
            new io.dirpipe.sink.iceberg.IcebergSink(
                io.dirpipe.sink.iceberg.LakeCatalog.of(config),
                topics,
                config.collections(),
                new java.util.HashSet<>(config.getList(SinkConfig.LAKE_DATASETS)),
                config.getString(SinkConfig.LAKE_GROUP),
                io.dirpipe.core.ConfigDurations.get(config, SinkConfig.LAKE_COMMIT_INTERVAL),
                deadLetters,
                stats,
                Time.SYSTEM);
        delivery = iceberg;
        inputs = iceberg.topics();
        group = config.getString(SinkConfig.LAKE_GROUP);
      } else {
        LakeSink lake =
            new LakeSink(
                config, topics, lakeStore(config, values), kafka, deadLetters, stats, Time.SYSTEM);
        delivery = lake;
        inputs = lake.topics();
        group = config.getString(SinkConfig.LAKE_GROUP);
      }
      List<Topic<?, ?>> created = new ArrayList<>(inputs);
      created.add(dlq);
      TopicSetup.ensure(kafka, created, topics.layout()); // to subscribe, the inputs must exist
      SinkRunner runner =
          new SinkRunner(
              kafka,
              group,
              inputs.stream().map(Topic::name).toList(),
              delivery,
              stats,
              Time.SYSTEM);
      return new Wired(
          runner, deadLetters, stats, group, inputs.stream().map(Topic::name).toList());
    } catch (RuntimeException e) {
      deadLetters.close();
      throw e;
    }
  }

  /** The lake's root: a folder, or Blob storage (a connection string, or the identity's token). */
  private static LakeStore lakeStore(SinkConfig config, Map<String, ?> values) {
    String root = config.getString(SinkConfig.LAKE_ROOT);
    if (!root.matches("(?i)(abfss?|https?)://.*")) {
      return new LocalLakeStore(Path.of(root));
    }
    var connection = config.getPassword(SinkConfig.LAKE_CONNECTION_STRING);
    IdentityConfig identity = new IdentityConfig(values);
    return BlobLakeStore.of(
        root,
        connection == null ? null : connection.value(),
        connection == null ? Credentials.build(identity) : null,
        Credentials.httpClient(identity));
  }
}
