package io.dirpipe.transformer;

import io.dirpipe.core.kafka.BrokerUnavailable;
import io.dirpipe.core.kafka.KafkaClients;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Where the transformer's local state came from: the Kafka cluster and the incarnation (topic id)
 * of each input topic. Kafka Streams keeps its stores in {@code transform.state-dir} and trusts
 * them; state built against another broker (a fresh {@code dirpipe kafka}, a test cluster) or
 * against raw topics since deleted and recreated would answer "already known" for objects the new
 * topics have never announced, and the transformer would emit a partial set of events with exit 0.
 * So the origin is written beside the state ({@code <state-dir>/<application-id>.origin}) and
 * compared at every start:
 *
 * <ul>
 *   <li>another cluster, or no record while state exists: the local state is wiped and rebuilt from
 *       this cluster's topics (its changelogs and committed offsets belong together), and the log
 *       says why;
 *   <li>an input topic deleted and created again on the same cluster: the transformer refuses to
 *       start, because the cluster's own changelogs and offsets describe the old topic; the message
 *       says how to reset the application.
 * </ul>
 */
final class StateOrigin {
  private final Map<String, String> values;

  /** An origin of these values (cluster.id, topic.NAME = topic id), for tests. */
  StateOrigin(Map<String, String> values) {
    this.values = values;
  }

  /** The origin the state would have if built now: this cluster, these input topics. */
  static StateOrigin current(KafkaClients kafka, List<String> inputs) {
    try (Admin admin = kafka.admin("transformer-origin")) {
      Map<String, String> v = new TreeMap<>();
      v.put("cluster.id", admin.describeCluster().clusterId().get());
      for (TopicDescription d : admin.describeTopics(inputs).allTopicNames().get().values()) {
        v.put("topic." + d.name(), d.topicId().toString());
      }
      return new StateOrigin(v);
    } catch (ExecutionException e) {
      throw BrokerUnavailable.of(kafka, "Reading the cluster id and input topics", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the cluster id", e);
    }
  }

  static Path file(Path stateDir, String applicationId) {
    return stateDir.resolve(applicationId + ".origin");
  }

  /** True when Kafka Streams holds state of this application (task directories). */
  static boolean hasState(Path stateDir, String applicationId) {
    Path app = stateDir.resolve(applicationId);
    if (!Files.isDirectory(app)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(app)) {
      return entries.anyMatch(
          p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d+_\\d+"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + app, e);
    }
  }

  /** Why local state cannot be used, and whether rebuilding it from the topics is right. */
  record Mismatch(String reason, boolean rebuild) {}

  /**
   * Why the state in {@code stateDir} cannot be used with this origin, or null when it can (or
   * there is none).
   */
  Mismatch mismatch(Path stateDir, String applicationId) {
    String reason = reason(stateDir, applicationId);
    return reason == null ? null : new Mismatch(reason, !reason.startsWith("topic "));
  }

  private String reason(Path stateDir, String applicationId) {
    if (!hasState(stateDir, applicationId)) {
      return null;
    }
    Path f = file(stateDir, applicationId);
    if (!Files.exists(f)) {
      return "it has no record of the cluster it was built from";
    }
    Properties recorded = new Properties();
    try (Reader r = Files.newBufferedReader(f)) {
      recorded.load(r);
    } catch (IOException e) {
      return "its origin file " + f + " cannot be read (" + e.getMessage() + ")";
    }
    String cluster = recorded.getProperty("cluster.id");
    if (!values.get("cluster.id").equals(cluster)) {
      return "it was built from Kafka cluster "
          + cluster
          + ", and this broker belongs to cluster "
          + values.get("cluster.id");
    }
    for (var e : values.entrySet()) {
      if (e.getKey().startsWith("topic.")
          && !e.getValue().equals(recorded.getProperty(e.getKey()))) {
        return "topic "
            + e.getKey().substring("topic.".length())
            + " was deleted and created again since (topic id "
            + recorded.getProperty(e.getKey())
            + ", now "
            + e.getValue()
            + ")";
      }
    }
    return null;
  }

  void write(Path stateDir, String applicationId) {
    Properties p = new Properties();
    p.putAll(values);
    try {
      Files.createDirectories(stateDir);
      try (Writer w = Files.newBufferedWriter(file(stateDir, applicationId))) {
        p.store(w, "where the local state of " + applicationId + " was built from");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file(stateDir, applicationId), e);
    }
  }
}
