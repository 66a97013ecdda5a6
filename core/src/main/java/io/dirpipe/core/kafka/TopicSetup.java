package io.dirpipe.core.kafka;

import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.TopicLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics a stage writes when they are missing (compacted where the catalogue says so)
 * and registers their schemas when they are written in the registry format, so that a schema the
 * registry refuses stops the stage before it writes anything.
 */
public final class TopicSetup {
  private TopicSetup() {}

  /**
   * Waits (up to 30 s) until every partition of new topics has a leader: producing before that
   * meets NOT_LEADER_OR_FOLLOWER and, with idempotence, sequence errors.
   */
  private static void awaitLeaders(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        boolean ready =
            admin.describeTopics(names).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause()
            instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      Thread.sleep(50);
    }
  }

  /** The topic as the layout says: its kind's partitions, cleanup policy and retention. */
  static NewTopic newTopic(Topic<?, ?> t, TopicLayout layout) {
    Map<String, String> configs = new java.util.HashMap<>();
    configs.put(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        t.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
    layout
        .retention(t.kind())
        .ifPresent(
            r ->
                configs.put(
                    TopicConfig.RETENTION_MS_CONFIG,
                    r.isNegative() ? "-1" : Long.toString(r.toMillis())));
    return new NewTopic(
            t.name(),
            java.util.Optional.of(layout.partitions(t.kind())),
            java.util.Optional.empty())
        .configs(configs);
  }

  /**
   * @param layout partitions and retention of new topics by kind; replication: the broker's default
   */
  public static void ensure(KafkaClients kafka, List<Topic<?, ?>> topics, TopicLayout layout) {
    try (Admin admin = kafka.admin("topic-setup")) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> t : topics) {
        if (!existing.contains(t.name())) {
          missing.add(newTopic(t, layout));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
        awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
      }
      topics.forEach(Topic::registerSchemas);
    } catch (ExecutionException e) {
      if (BrokerUnavailable.isTimeout(e)) {
        throw BrokerUnavailable.of(kafka, "Checking the topics", e.getCause());
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException a) {
        throw new IllegalStateException(
            "The brokers at "
                + kafka.properties().get("bootstrap.servers")
                + " refused the login ("
                + a.getMessage()
                + "): check kafka.security.protocol and kafka.sasl.*; with SASL OAUTHBEARER (Azure"
                + " Event Hubs), the token's scope (https://<namespace>.servicebus.windows.net/"
                + ".default, or the JAAS option scope) and the identity's Azure Event Hubs Data"
                + " role on the namespace",
            a);
      }
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "Cannot create topics: " + e.getCause().getMessage(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    }
  }
}
