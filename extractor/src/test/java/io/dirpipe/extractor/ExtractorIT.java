package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.LogCapture;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extractor against the sandbox and a real broker: counts, exactly once, faults, delta. */
@ExtendWith(KafkaExtension.class)
class ExtractorIT {
  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  Extractor extractor(TestKafka kafka, Topics topics, Map<String, Object> settings) {
    return SandboxExtractors.extractor(sandbox, kafka, topics, settings);
  }

  static Topics topics() {
    return SandboxExtractors.topics();
  }

  static Map<String, RunSummary> byCollection(List<RunSummary> runs) {
    return runs.stream().collect(Collectors.toMap(RunSummary::collection, r -> r));
  }

  @Test
  void aFailedRunIsLoggedWithItsExceptionAndStackTrace(TestKafka kafka) throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(100).withQuota(Throttle.Quota.OFF));
    try (LogCapture logs = LogCapture.of(Extractor.class)) {
      // Graph answers 400 to a property it does not know: the run fails on its first page
      RunSummary run =
          extractor(
                  kafka,
                  topics(),
                  Map.of(
                      ExtractorConfig.COLLECTIONS,
                      "users",
                      ExtractorConfig.SELECT_PREFIX + "users",
                      "id,notAProperty"))
              .runOnce()
              .get(0);
      assertThat(run.status()).isEqualTo("failed");
      assertThat(logs.errors())
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getThrowableProxy())
                      .as("the exception, with its stack trace, in the log event")
                      .isNotNull());
    }
  }

  @Test
  void aResetCheckpointMakesTheNextRunStartAfresh(TestKafka kafka) throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(150).withQuota(Throttle.Quota.OFF));
    Topics topics = topics();
    Map<String, Object> delta =
        Map.of(ExtractorConfig.COLLECTIONS, "users", ExtractorConfig.MODE, "delta");
    var key = new io.dirpipe.schemas.CheckpointKey(sandbox.tenant().tenantId(), "users");
    var checkpoints = topics.checkpoints();
    RunSummary first = extractor(kafka, topics, delta).runOnce().get(0);
    assertThat(first.records()).as("the initial round").isEqualTo(150);
    // started at once: it reads its checkpoint after initTransactions, which waits for the commit
    // markers of the first run's last transaction, so it finds the delta link
    assertThat(extractor(kafka, topics, delta).runOnce().get(0).records())
        .as("a later round: no changes")
        .isZero();
    io.dirpipe.extractor.publish.Checkpoints.reset(kafka.clients(), checkpoints, key);
    assertThat(io.dirpipe.extractor.publish.Checkpoints.read(kafka.clients(), checkpoints))
        .doesNotContainKey(key);
    assertThat(extractor(kafka, topics, delta).runOnce().get(0).records())
        .as("after the reset: an initial round again")
        .isEqualTo(150);
  }

  @Test
  void fullRunPublishesEveryObjectOfEveryCollectionExactlyOnce(TestKafka kafka) throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(20_000).withQuota(Throttle.Quota.OFF));
    Topics topics = topics();
    Map<String, RunSummary> runs = byCollection(extractor(kafka, topics, Map.of()).runOnce());

    Tenant t = sandbox.tenant();
    Map<Collection<?>, Kind> kinds =
        Map.of(
            Collection.USERS,
            Kind.USER,
            Collection.GROUPS,
            Kind.GROUP,
            Collection.DEVICES,
            Kind.DEVICE,
            Collection.APPLICATIONS,
            Kind.APPLICATION,
            Collection.SERVICE_PRINCIPALS,
            Kind.SERVICE_PRINCIPAL,
            Collection.DIRECTORY_ROLES,
            Kind.DIRECTORY_ROLE);
    List<ConsumerRecord<String, RunEvent>> events = RawTopic.readAll(kafka, topics.runs());
    for (var e : kinds.entrySet()) {
      RunSummary run = runs.get(e.getKey().name());
      assertThat(run.status()).as(e.getKey() + ": " + run.error()).isEqualTo("completed");
      List<Observation> read =
          RawTopic.run(RawTopic.readAll(kafka, topics.raw(e.getKey())), run.runId());
      Set<String> ids = read.stream().map(Observation::getObjectId).collect(Collectors.toSet());
      assertThat(read).as(e.getKey().name()).hasSize(t.store(e.getValue()).count());
      assertThat(ids).as(e.getKey() + " each once").hasSize(t.store(e.getValue()).count());
      RunEvent completed = RawTopic.completed(events, run.runId());
      assertThat(completed.getRecords()).isEqualTo(read.size());
      assertThat(completed.getDigest()).isEqualTo(run.digest());
    }
    assertThat(runs.get("users").records()).isEqualTo(20_000);

    int edges = 0;
    for (int g = 0; g < t.spec().groups(); g++) {
      edges += t.memberships().all(g).size();
    }
    RunSummary members = runs.get("groupMembers");
    List<Observation> memberObs =
        RawTopic.run(
            RawTopic.readAll(kafka, topics.raw(Collection.GROUP_MEMBERS)), members.runId());
    assertThat(memberObs).hasSize(edges);
    assertThat(
            memberObs.stream()
                .map(
                    o ->
                        o.getObjectId()
                            + "/"
                            + ((io.dirpipe.schemas.entity.Member) o.getPayload()).getMemberId())
                .collect(Collectors.toSet()))
        .hasSize(edges);

    List<ConsumerRecord<ObjectKey, Observation>> users =
        RawTopic.readAll(kafka, topics.raw(Collection.USERS));
    long markers =
        users.stream()
            .filter(r -> r.value().getKind() == ObservationKind.RUN_END)
            .map(ConsumerRecord::partition)
            .distinct()
            .count();
    assertThat(markers).as("a RUN_END marker on every partition").isEqualTo(3);
  }

  @Test
  void throttlingStormServerErrorsAndShortTokensStillGiveExactCounts(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(20_000).withQuota(Throttle.Quota.OFF));
    sandbox.faults().p429 = 0.3;
    sandbox.faults().p503 = 0.05;
    sandbox.faults().tokenLifetimeSeconds = 5;
    sandbox.faults().latencyMs = 20;
    sandbox.faults().reseed();
    Topics topics = topics();
    Map<String, RunSummary> runs =
        byCollection(
            extractor(
                    kafka,
                    topics,
                    Map.of(
                        "extract.collections",
                        "users,devices",
                        "extract.page-size",
                        "500",
                        "extract.max-attempts",
                        "30"))
                .runOnce());

    RunSummary users = runs.get("users");
    assertThat(users.status()).as(users.error()).isEqualTo("completed");
    assertThat(users.throttled()).as("429s were met").isPositive();
    List<Observation> read =
        RawTopic.run(RawTopic.readAll(kafka, topics.raw(Collection.USERS)), users.runId());
    assertThat(read).hasSize(20_000);
    assertThat(read.stream().map(Observation::getObjectId).distinct().count()).isEqualTo(20_000);
    assertThat(runs.get("devices").records()).isEqualTo(10_000);
  }

  @Test
  void deltaPublishesExactlyTheChangesAndAnExpiredTokenLeadsToAFullRun(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(3_000).withQuota(Throttle.Quota.OFF));
    Topics topics = topics();
    Map<String, Object> delta =
        Map.of("extract.collections", "users,groups,groupMembers", "extract.mode", "delta");
    Map<String, RunSummary> initial = byCollection(extractor(kafka, topics, delta).runOnce());
    assertThat(initial.get("users").records()).isEqualTo(3_000);

    SandboxClients clients = new SandboxClients(sandbox);
    var report =
        clients.control(
            "mutate",
            "{\"collection\":\"users\",\"creates\":4,\"updates\":25,\"deletes\":6,\"seed\":2}");
    var memberReport =
        clients.control(
            "mutate", "{\"collection\":\"groupMembers\",\"adds\":5,\"removes\":3,\"seed\":4}");
    Map<String, RunSummary> changes = byCollection(extractor(kafka, topics, delta).runOnce());

    RunSummary users = changes.get("users");
    assertThat(users.mode()).isEqualTo("DELTA");
    List<Observation> read =
        RawTopic.run(RawTopic.readAll(kafka, topics.raw(Collection.USERS)), users.runId());
    Set<String> expected = new HashSet<>();
    report.path("created").forEach(id -> expected.add(id.asText()));
    report.path("updated").forEach(u -> expected.add(u.path("id").asText()));
    Set<String> deleted = new HashSet<>();
    report.path("deleted").forEach(id -> deleted.add(id.asText()));
    assertThat(
            read.stream()
                .filter(o -> o.getKind() == ObservationKind.OBSERVED)
                .map(Observation::getObjectId)
                .collect(Collectors.toSet()))
        .isEqualTo(expected);
    assertThat(read.stream().filter(o -> o.getKind() == ObservationKind.REMOVED))
        .allSatisfy(o -> assertThat(o.getRemovedReason()).isEqualTo(RemovedReason.CHANGED))
        .extracting(Observation::getObjectId)
        .containsExactlyInAnyOrderElementsOf(deleted);

    List<Observation> edges =
        RawTopic.run(
            RawTopic.readAll(kafka, topics.raw(Collection.GROUP_MEMBERS)),
            changes.get("groups").runId());
    Map<String, Long> byKind = new HashMap<>();
    edges.forEach(o -> byKind.merge(o.getKind().name(), 1L, Long::sum));
    assertThat(report.path("memberships").size())
        .as("the deleted users left their groups")
        .isPositive();
    assertThat(byKind)
        .containsEntry("OBSERVED", 5L)
        .as("3 members removed, and the edges the 6 deleted users left")
        .containsEntry("REMOVED", 3L + report.path("memberships").size());
    assertThat(memberReport.path("memberships").size()).isEqualTo(8);

    sandbox.faults().deltaTokenTtlSeconds = 0; // every stored delta token is expired
    RunSummary resync =
        byCollection(
                extractor(
                        kafka,
                        topics,
                        Map.of("extract.collections", "users", "extract.mode", "delta"))
                    .runOnce())
            .get("users");
    assertThat(resync.mode()).as("expired delta token: a new FULL run").isEqualTo("FULL");
    assertThat(resync.records()).isEqualTo(3_000 + 4 - 6);
  }
}
