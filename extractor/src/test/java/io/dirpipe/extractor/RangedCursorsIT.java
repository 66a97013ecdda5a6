package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.LogCapture;
import io.dirpipe.extractor.run.CollectionRun;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Mutator;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FULL runs of users on concurrent createdDateTime ranges against the sandbox and a real broker:
 * every object once with writes between pages, a killed run resumed range by range, and one cursor
 * when the ranges cannot hold every user.
 */
@ExtendWith(KafkaExtension.class)
class RangedCursorsIT {
  static final int USERS = 8_000;

  /** 8,000 users in pages of 200 on four cursors of about 2,000 users each. */
  static final Map<String, Object> RANGED =
      Map.of(
          ExtractorConfig.COLLECTIONS,
          "users",
          ExtractorConfig.PAGE_SIZE,
          "200",
          ExtractorConfig.OBJECTS_PER_CURSOR,
          "2000",
          ExtractorConfig.MAX_ATTEMPTS,
          "1");

  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  RunSummary run(TestKafka kafka, Topics topics) throws Exception {
    return SandboxExtractors.extractor(sandbox, kafka, topics, RANGED).runOnce().get(0);
  }

  /** The users pages of a run ({@code $skiptoken}: past the first page of a range). */
  static boolean laterUsersPage(String request) {
    return request.startsWith("/v1.0/users?") && request.contains("skiptoken");
  }

  /** Every observation of the run, checked to hold each id once, by id. */
  static Map<String, Observation> onceEach(TestKafka kafka, Topics topics, String runId) {
    List<Observation> read =
        RawTopic.run(RawTopic.readAll(kafka, topics.raw(Collection.USERS)), runId);
    Map<String, Observation> byId = new HashMap<>();
    for (Observation o : read) {
      assertThat(byId.put(o.getObjectId(), o)).as("observed twice: " + o.getObjectId()).isNull();
    }
    return byId;
  }

  @Test
  void writesBetweenPagesOfConcurrentRangesStillPublishEveryUserOnce(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF));
    Set<String> before = liveIds(sandbox.tenant().store(Kind.USER));
    AtomicInteger pages = new AtomicInteger();
    AtomicReference<Mutator.Report> writes = new AtomicReference<>();
    sandbox
        .graph()
        .beforeAnswer(
            request -> {
              // between the 6th and 7th later pages: 40 users created, 40 deleted, 40 changed
              if (laterUsersPage(request) && pages.incrementAndGet() == 7) {
                writes.set(
                    new Mutator(sandbox.tenant())
                        .apply(new Mutator.Request("users", 40, 40, 40, 0, 0, 11)));
              }
            });
    Topics topics = SandboxExtractors.topics();
    RunSummary run;
    try (LogCapture log = LogCapture.of(CollectionRun.class)) {
      run = run(kafka, topics);
      assertThat(log.lines()).anyMatch(l -> l.contains("in 4 concurrent cursors"));
    }

    assertThat(run.status()).as(run.error()).isEqualTo("completed");
    assertThat(writes.get()).as("the writes were made while the run read pages").isNotNull();
    assertThat(pages.get()).as("pages were read after the writes").isGreaterThan(7);
    Map<String, Observation> read = onceEach(kafka, topics, run.runId());
    Set<String> kept = new HashSet<>(before);
    writes.get().deleted().forEach(kept::remove);
    assertThat(read.keySet())
        .as("every user that was there before the run and is still there")
        .containsAll(kept);
    assertThat(read.keySet())
        .as("nothing that never existed")
        .isSubsetOf(union(before, writes.get().created()));
    RunEvent completed = RawTopic.completed(RawTopic.readAll(kafka, topics.runs()), run.runId());
    assertThat(completed.getRecords()).isEqualTo(read.size());
    assertThat(completed.getDigest()).isEqualTo(run.digest());
  }

  @Test
  void aRunKilledMidwayResumesEachRangeWhereItsLastCommittedPageLeftIt(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF));
    AtomicInteger pages = new AtomicInteger();
    sandbox
        .graph()
        .beforeAnswer(
            request -> {
              if (laterUsersPage(request) && pages.incrementAndGet() == 9) {
                sandbox.faults().p500 = 1.0; // Graph fails from here on: the run fails
              }
            });
    Topics topics = SandboxExtractors.topics();
    RunSummary failed = run(kafka, topics);
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.pages()).as("pages committed before the failure").isPositive();

    sandbox.faults().p500 = 0;
    RunSummary resumed;
    try (LogCapture log = LogCapture.of(CollectionRun.class)) {
      resumed = run(kafka, topics);
      assertThat(log.lines()).anyMatch(l -> l.contains("resuming run " + failed.runId()));
    }
    assertThat(resumed.status()).as(resumed.error()).isEqualTo("completed");
    assertThat(resumed.runId()).isEqualTo(failed.runId());
    Map<String, Observation> read = onceEach(kafka, topics, resumed.runId());
    assertThat(read.keySet()).isEqualTo(liveIds(sandbox.tenant().store(Kind.USER)));
    assertThat(resumed.records()).isEqualTo(USERS);
  }

  @Test
  void usersWithoutCreationTimeAreReadOnOneCursorWithAllTheOthers(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF));
    ObjectStore users = sandbox.tenant().store(Kind.USER);
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> user = new HashMap<>(users.at(i));
      user.put("createdDateTime", null); // "an accurate creation time couldn't be determined"
      user.put("userPrincipalName", "old" + i + "@contoso.example");
      old.add(users.create(user));
    }
    Topics topics = SandboxExtractors.topics();
    RunSummary run;
    try (LogCapture log = LogCapture.of(CollectionRun.class)) {
      run = run(kafka, topics);
      assertThat(log.lines())
          .anyMatch(
              l ->
                  l.contains("hold " + USERS + " of the " + (USERS + 3) + " objects")
                      && l.endsWith("one cursor"));
    }
    assertThat(run.status()).as(run.error()).isEqualTo("completed");
    Map<String, Observation> read = onceEach(kafka, topics, run.runId());
    assertThat(read).hasSize(USERS + 3).containsKeys(old.toArray(String[]::new));
  }

  @Test
  void aRangeFilterGraphRefusesFallsBackToOneCursorThatReadsEveryUser(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF));
    sandbox.faults().refuseFilterOn = "createdDateTime";
    Topics topics = SandboxExtractors.topics();
    RunSummary run;
    try (LogCapture log = LogCapture.of(CollectionRun.class)) {
      run = run(kafka, topics);
      assertThat(log.lines())
          .anyMatch(
              l ->
                  l.contains("Graph refused a range count")
                      && l.contains("400")
                      && l.endsWith("one cursor"));
    }
    assertThat(run.status()).as(run.error()).isEqualTo("completed");
    assertThat(run.cursors()).isEqualTo(1);
    assertThat(onceEach(kafka, topics, run.runId())).hasSize(USERS);
  }

  static Set<String> union(Set<String> a, List<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  static Set<String> liveIds(ObjectStore store) {
    Set<String> ids = new HashSet<>();
    for (int p = 0; p < store.positions(); p++) {
      if (store.at(p) != null) {
        ids.add(store.idAt(p));
      }
    }
    return ids;
  }
}
