package io.dirpipe.sandbox.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (combined KRaft broker and controller) running in this JVM,
 * listening on loopback at a random port. It is Kafka's own broker code, started through Kafka's
 * cluster test kit: transactions, compaction and consumer groups behave as on a cluster, with
 * replication factor 1.
 *
 * <p>Start ~4 s, ~220 MB. Close it to stop the broker; its data is deleted unless a directory was
 * given.
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

  /** Broker settings that make a one-node cluster work and start fast. */
  static final Map<String, Object> BROKER_CONFIG =
      Map.ofEntries(
          Map.entry("offsets.topic.replication.factor", "1"),
          Map.entry("offsets.topic.num.partitions", "4"),
          Map.entry("transaction.state.log.replication.factor", "1"),
          Map.entry("transaction.state.log.min.isr", "1"),
          Map.entry("transaction.state.log.num.partitions", "4"),
          Map.entry("share.coordinator.state.topic.replication.factor", "1"),
          Map.entry("share.coordinator.state.topic.min.isr", "1"),
          Map.entry("group.initial.rebalance.delay.ms", "0"),
          Map.entry("num.partitions", "3"),
          Map.entry("auto.create.topics.enable", "true"));

  private final KafkaClusterTestKit cluster;
  private boolean closed;

  private LocalKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Starts a broker whose data lives in a temporary directory, deleted on close. */
  public static LocalKafka start() {
    return start(null);
  }

  /**
   * Starts a broker.
   *
   * @param dataDir where the broker keeps its logs (kept after close), or null for a temporary
   *     directory
   * @throws IllegalStateException when the broker cannot start, with the cause
   */
  public static LocalKafka start(Path dataDir) {
    long started = System.nanoTime();
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes.Builder nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumControllerNodes(1)
              .setNumBrokerNodes(1)
              .setBootstrapMetadataVersion(MetadataVersion.latestProduction());
      if (dataDir != null) {
        nodes.setBaseDirectory(dataDir);
      }
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes.build()).setDeleteOnClose(dataDir == null);
      BROKER_CONFIG.forEach(builder::setConfigProp);
      cluster = builder.build();
      formatQuietly(cluster);
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(cluster);
      throw new IllegalStateException("Interrupted while starting the local Kafka broker", e);
    } catch (Exception e) {
      closeQuietly(cluster);
      throw new IllegalStateException(
          "The local Kafka broker did not start"
              + (dataDir == null ? "" : " (data directory " + dataDir + ")")
              + ": "
              + e.getMessage(),
          e);
    }
    LocalKafka kafka = new LocalKafka(cluster);
    log.info(
        "Local Kafka broker ready at {} in {} ms",
        kafka.bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return kafka;
  }

  /** The {@code bootstrap.servers} value clients use, e.g. {@code localhost:41234}. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Clients of this broker with no other settings. */
  public io.dirpipe.core.kafka.KafkaClients clients() {
    return io.dirpipe.core.kafka.KafkaClients.of(Map.of("bootstrap.servers", bootstrapServers()));
  }

  /** Stops the broker and deletes its temporary data. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("The local Kafka broker did not stop cleanly", e);
    }
  }

  /**
   * Kafka's storage formatter prints to {@code System.out}; commands keep stdout for their own
   * output (e.g. {@code export} lines a shell evaluates), so the formatter's lines go to the debug
   * log instead.
   */
  private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    synchronized (System.class) {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        cluster.format();
      } finally {
        System.setOut(stdout);
      }
    }
    log.debug("Kafka storage format: {}", captured.toString(StandardCharsets.UTF_8).strip());
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (Exception e) {
      log.debug("Ignoring failure while closing a broker that failed to start", e);
    }
  }
}
