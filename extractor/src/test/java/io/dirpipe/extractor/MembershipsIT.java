package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.core.LogCapture;
import io.dirpipe.extractor.run.RelationRun;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Memberships;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Member;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FULL membership runs, groups listed many at a time and committed as each finishes: a run killed
 * midway resumes without the groups it committed, and every edge is published once.
 */
@ExtendWith(KafkaExtension.class)
class MembershipsIT {
  /**
   * Pages of 10: the 50 groups come in 5 groups pages, all listed at once (the run's window of open
   * groups pages), and most groups have several member pages.
   */
  static final Map<String, Object> MEMBERS =
      Map.of(
          ExtractorConfig.COLLECTIONS,
          "groupMembers",
          ExtractorConfig.MAX_ATTEMPTS,
          "1",
          ExtractorConfig.PAGE_SIZE,
          "10");

  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  static Set<String> edges(Tenant t) {
    Set<String> edges = new HashSet<>();
    for (int g = 0; g < t.spec().groups(); g++) {
      for (Memberships.Member m : t.memberships().all(g)) {
        edges.add(t.ids().of(io.dirpipe.sandbox.tenant.Kind.GROUP, g) + "/" + m.id());
      }
    }
    return edges;
  }

  @Test
  void aKilledRunResumesWithoutTheGroupsItCommittedAndPublishesEveryEdgeOnce(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(5_000).withQuota(Throttle.Quota.OFF));
    Topics topics = SandboxExtractors.topics();
    Extractor first = SandboxExtractors.extractor(sandbox, kafka, topics, MEMBERS);
    AtomicInteger listings = new AtomicInteger();
    sandbox
        .graph()
        .beforeAnswer(
            request -> {
              if (request.contains("/members?") && listings.incrementAndGet() == 10) {
                // this listing waits until groups listed beside it were committed, then Graph
                // fails from here on: the run fails with some groups of the page done
                await("a committed transaction of memberships")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> first.progress().stream().anyMatch(p -> p.records() > 0));
                sandbox.faults().p500 = 1.0;
              }
            });
    RunSummary failed = first.runOnce().get(0);
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.records()).as("edges committed before the failure").isPositive();

    sandbox.faults().p500 = 0;
    RunSummary resumed;
    try (LogCapture log = LogCapture.of(RelationRun.class)) {
      resumed = SandboxExtractors.extractor(sandbox, kafka, topics, MEMBERS).runOnce().get(0);
      assertThat(log.lines())
          // all 5 groups pages were open (50 groups, 160 listings at once) and the first, with
          // the all-staff group's 250 member pages, could not finish before the failure
          .anyMatch(
              l ->
                  l.contains("resuming run " + failed.runId())
                      && l.contains("of 5 groups page(s) done"));
    }
    assertThat(resumed.status()).as(resumed.error()).isEqualTo("completed");
    assertThat(resumed.runId()).isEqualTo(failed.runId());

    List<Observation> read =
        RawTopic.run(
            RawTopic.readAll(kafka, topics.raw(Collection.GROUP_MEMBERS)), resumed.runId());
    Set<String> published = new HashSet<>();
    for (Observation o : read) {
      String edge = o.getObjectId() + "/" + ((Member) o.getPayload()).getMemberId();
      assertThat(published.add(edge)).as("published twice: " + edge).isTrue();
    }
    assertThat(published).isEqualTo(edges(sandbox.tenant()));
    assertThat(resumed.records()).isEqualTo(published.size());
  }

  @Test
  void aThrottledListingIsRetriedAloneAndEveryEdgeIsPublishedOnce(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(5_000).withQuota(Throttle.Quota.OFF));
    // one request in five answered 429 (Retry-After: 0): inside batches, and whole batches too
    sandbox.faults().p429 = 0.2;
    sandbox.faults().retryAfterSeconds = 0;
    Topics topics = SandboxExtractors.topics();
    RunSummary run =
        SandboxExtractors.extractor(
                sandbox, kafka, topics, Map.of(ExtractorConfig.COLLECTIONS, "groupMembers"))
            .runOnce()
            .get(0);
    assertThat(run.status()).as(run.error()).isEqualTo("completed");

    var stats = sandbox.stats();
    String listing = "GET /groups/{id}/members";
    assertThat(stats.requests(listing, 429)).as("listings answered 429").isPositive();
    // every page of members answered 200 once: a throttled listing went again on its own, never
    // the batch it came in (how batches form is BatchingSourceTest's)
    assertThat(stats.requests(listing, 200)).as("listings answered 200").isEqualTo(run.pages());

    Set<String> published = new HashSet<>();
    for (Observation o :
        RawTopic.run(RawTopic.readAll(kafka, topics.raw(Collection.GROUP_MEMBERS)), run.runId())) {
      String edge = o.getObjectId() + "/" + ((Member) o.getPayload()).getMemberId();
      assertThat(published.add(edge)).as("published twice: " + edge).isTrue();
    }
    assertThat(published).isEqualTo(edges(sandbox.tenant()));
  }
}
