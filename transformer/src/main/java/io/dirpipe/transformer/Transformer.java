package io.dirpipe.transformer;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicOffsets;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.transformer.changes.ChangeTopology;
import io.dirpipe.transformer.changes.TransformStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the change topology as a Kafka Streams application with {@code exactly_once_v2}: an
 * observation's events, its store update and its input offset commit together or not at all.
 */
public final class Transformer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Transformer.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final TransformerConfig config;
  private final KafkaClients kafka;
  private final Topics topics;
  private final Time time;
  private final TransformStats stats = new TransformStats();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private KafkaStreams streams;

  public Transformer(TransformerConfig config, KafkaClients kafka, Topics topics) {
    this(config, kafka, topics, Time.SYSTEM);
  }

  public Transformer(TransformerConfig config, KafkaClients kafka, Topics topics, Time time) {
    this.config = config;
    this.kafka = kafka;
    this.topics = topics;
    this.time = time;
  }

  /** Creates missing topics, then starts the stream threads. */
  public void start() {
    TopicSetup.ensure(kafka, topicsUsed(), topics.layout());
    streams = new KafkaStreams(ChangeTopology.build(config, topics, stats), streamsProperties());
    Path stateDir = Path.of(config.stateDir());
    StateOrigin origin =
        StateOrigin.current(
            kafka, config.collections().stream().map(c -> topics.raw(c).name()).toList());
    StateOrigin.Mismatch mismatch = origin.mismatch(stateDir, config.applicationId());
    if (mismatch != null && !mismatch.rebuild()) {
      streams.close();
      streams = null;
      throw new IllegalStateException(
          "The transformer's state cannot be used: "
              + mismatch.reason()
              + ". Its changelogs and committed offsets describe the old topic. Reset the"
              + " application (kafka-streams-application-reset --application-id "
              + config.applicationId()
              + ", then delete "
              + stateDir.resolve(config.applicationId())
              + ") or set "
              + TransformerConfig.APPLICATION_ID
              + " to a new id, and run the transformer again.");
    }
    if (mismatch != null) {
      log.warn(
          "The local state in {} cannot be used: {}. Rebuilding it from the topics.",
          stateDir.resolve(config.applicationId()),
          mismatch.reason());
      streams.cleanUp();
    }
    origin.write(stateDir, config.applicationId());
    streams.setUncaughtExceptionHandler(
        e -> {
          failure.compareAndSet(null, e);
          log.error("Transformer stopped", e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
  }

  private Properties streamsProperties() {
    Properties p = new Properties();
    p.putAll(kafka.properties());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    // without transactions (delivery.guarantee=at-least-once), a restart processes again what
    // followed the last commit: change events may repeat (each carries its event id)
    p.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        kafka.transactions() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
    p.putIfAbsent("processing.exception.handler.global.enabled", true);
    if (!kafka.properties().containsKey(ProducerConfig.COMPRESSION_TYPE_CONFIG)) {
      // change events and changelogs repeat field names and values: lz4 halves the bytes
      p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    }
    return p;
  }

  private List<Topic<?, ?>> topicsUsed() {
    List<Topic<?, ?>> used = new ArrayList<>();
    for (Collection<?> c : config.collections()) {
      used.add(topics.raw(c));
      if (c.isObjectCollection()) {
        used.add(topics.changes(c));
        used.add(topics.inventory(c));
      } else if (c.isEdgeCollection()) {
        if (used.stream().noneMatch(t -> t.name().equals(topics.edgeChanges().name()))) {
          used.add(topics.edgeChanges()); // shared by every edge collection
          used.add(topics.edgeInventory());
        }
      } else {
        used.add(topics.memberships());
      }
    }
    return used;
  }

  public TransformStats stats() {
    return stats;
  }

  /**
   * Blocks until no observation arrived for {@code idle} and the committed input offsets have
   * reached every raw topic's end: everything published so far is transformed.
   *
   * @throws IllegalStateException when the application stopped on an error
   */
  public void awaitIdle(Duration idle) throws InterruptedException {
    long seen = -1;
    long quietSince = time.nanoTime();
    while (true) {
      time.sleep(POLL);
      requireRunning();
      long n = stats.inputs();
      if (n != seen || streams.state() != KafkaStreams.State.RUNNING) {
        seen = n;
        quietSince = time.nanoTime();
      } else if (time.since(quietSince).compareTo(idle) >= 0 && caughtUp()) {
        return;
      }
    }
  }

  /** Null when the stream threads process their tasks; else the state they are in. */
  public String notRunning() {
    KafkaStreams.State s = streams == null ? null : streams.state();
    return s == KafkaStreams.State.RUNNING ? null : "transformer state " + s;
  }

  /** Null while the application runs (or rebalances); what stopped it otherwise. */
  public String problem() {
    Throwable t = failure.get();
    if (t != null) {
      return "transformer stopped: " + rootMessage(t);
    }
    KafkaStreams.State s = streams == null ? null : streams.state();
    return s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
        ? "transformer state " + s
        : null;
  }

  private void requireRunning() {
    String problem = problem();
    if (problem != null) {
      throw new IllegalStateException(
          "The " + problem + "; its committed input offsets are where a restart resumes",
          failure.get());
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? t.toString() : t.getMessage() + " (" + root + ")";
  }

  /** True when the group's committed offsets reach the last stable offset of every input. */
  private boolean caughtUp() {
    try (Admin admin = kafka.admin("transformer-idle")) {
      List<String> inputs = config.collections().stream().map(c -> topics.raw(c).name()).toList();
      Map<TopicPartition, Long> ends =
          TopicOffsets.end(admin, inputs, IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(config.applicationId())
              .partitionsToOffsetAndMetadata()
              .get();
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if (e.getValue() > (c == null ? 0 : c.offset())) {
          return false;
        }
      }
      return true;
    } catch (ExecutionException e) {
      log.debug("Cannot compare offsets yet: {}", e.getCause().toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the threads after their current transaction. */
  @Override
  public void close() {
    if (streams != null) {
      // Leave the group: the next instance (a restart, the next --until-idle) gets the tasks at
      // once instead of after the session timeout. Rolling restarts of many instances: use static
      // membership (kafka.group.instance.id).
      streams.close(
          CloseOptions.timeout(Duration.ofSeconds(60))
              .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      streams = null;
    }
  }
}
