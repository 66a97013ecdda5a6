package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.AuditLog;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.DirectoryAudit;
import io.dirpipe.schemas.entity.SignIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit log and sign-ins as event streams: the first run reads the lookback, each later one
 * reads back an overlap window for events Graph shows late and skips what earlier runs published,
 * so every event is in {@code events.<stream>} once; a run killed between pages resumes; sign-ins
 * of a tenant without P1/P2 fail with what to do.
 */
@ExtendWith(KafkaExtension.class)
class EventStreamsIT {
  private static final int USERS = 400;

  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private Tenant start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF));
    Tenant tenant = sandbox.tenant();
    tenant.assign(sandbox.application().objectId(), Tenant.appRoleId("AuditLog.Read.All"));
    return tenant;
  }

  private RunSummary run(TestKafka kafka, Topics topics, String stream, int pageSize)
      throws InterruptedException {
    List<RunSummary> runs =
        SandboxExtractors.extractor(
                sandbox,
                kafka,
                topics,
                Map.of(
                    ExtractorConfig.COLLECTIONS,
                    stream,
                    ExtractorConfig.PAGE_SIZE,
                    pageSize,
                    ExtractorConfig.MAX_ATTEMPTS,
                    1,
                    ExtractorConfig.EVENTS_OVERLAP,
                    "PT15M"))
            .runOnce();
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  @Test
  void eachEventOnceAcrossRunsLateOnesWithinTheOverlapIncluded(TestKafka kafka) throws Exception {
    Tenant tenant = start();
    AuditLog log = tenant.auditLog();
    Topics topics = SandboxExtractors.topics();

    RunSummary first = run(kafka, topics, "directoryAudits", 999);
    assertThat(first.status()).as(first.error()).isEqualTo("completed");
    assertThat(published(kafka, topics, Collection.DIRECTORY_AUDITS))
        .as("the first run: the whole history")
        .containsExactlyInAnyOrderElementsOf(ids(log.events(AuditLog.Stream.DIRECTORY_AUDITS)));

    // a new entry: the watermark moves to now
    String first1 = log.audit("Add user", "UserManagement", "User", "u0", Duration.ZERO);
    RunSummary second = run(kafka, topics, "directoryAudits", 999);
    assertThat(second.records()).isEqualTo(1);

    // another; one Graph shows 5 minutes late (within the overlap); one 40 minutes late (not)
    String now = log.audit("Update user", "UserManagement", "User", "u1", Duration.ZERO);
    String late =
        log.audit("Delete group", "GroupManagement", "Group", "g1", Duration.ofMinutes(5));
    String tooLate = log.audit("Add user", "UserManagement", "User", "u2", Duration.ofMinutes(40));
    RunSummary third = run(kafka, topics, "directoryAudits", 999);
    assertThat(third.status()).as(third.error()).isEqualTo("completed");
    assertThat(third.records()).isEqualTo(2);
    List<String> all = published(kafka, topics, Collection.DIRECTORY_AUDITS);
    assertThat(all).as("nothing twice").doesNotHaveDuplicates();
    assertThat(all)
        .contains(first1, now, late)
        .as("older than the watermark minus the overlap: missed (the documented limit)")
        .doesNotContain(tooLate);

    DirectoryAudit entry = audit(kafka, topics, late);
    assertThat(entry.getActivityDisplayName()).isEqualTo("Delete group");
    assertThat(entry.getOutcome()).as("Graph's result").isEqualTo("success");
    assertThat(entry.getTargetResources())
        .singleElement()
        .satisfies(t -> assertThat(t.getType()).isEqualTo("Group"));
    assertThat(entry.getInitiatedBy().getUser().getUserPrincipalName()).startsWith("admin@");

    RunSummary fourth = run(kafka, topics, "directoryAudits", 999);
    assertThat(fourth.records()).as("an unchanged log: nothing new").isZero();
  }

  @Test
  void aRunKilledBetweenPagesResumesAndPublishesEachEventOnce(TestKafka kafka) throws Exception {
    Tenant tenant = start();
    Topics topics = SandboxExtractors.topics();
    AtomicInteger pages = new AtomicInteger();
    sandbox
        .graph()
        .beforeAnswer(
            request -> {
              if (request.contains("/auditLogs/signIns") && pages.incrementAndGet() == 4) {
                throw new IllegalStateException("the sandbox fails page 4");
              }
            });
    RunSummary failed = run(kafka, topics, "signIns", 20);
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.pages()).as("pages committed before the failure").isEqualTo(3);

    sandbox.graph().beforeAnswer(request -> {});
    RunSummary resumed = run(kafka, topics, "signIns", 20);
    assertThat(resumed.status()).as(resumed.error()).isEqualTo("completed");
    assertThat(resumed.runId()).isEqualTo(failed.runId());
    List<String> all = published(kafka, topics, Collection.SIGN_INS);
    assertThat(all)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            ids(tenant.auditLog().events(AuditLog.Stream.SIGN_INS)));
    SignIn s = (SignIn) observations(kafka, topics, Collection.SIGN_INS).get(0).getPayload();
    assertThat(s.getLocation().getCountryOrRegion()).isNotBlank();
    assertThat(s.getStatus().getErrorCode()).isNotNull();
  }

  @Test
  void signInsOfATenantWithoutP1OrP2FailSayingSo(TestKafka kafka) throws Exception {
    Tenant tenant = start();
    tenant.auditLog().premium(false);
    RunSummary run = run(kafka, SandboxExtractors.topics(), "signIns", 999);
    assertThat(run.status()).isEqualTo("failed");
    assertThat(run.error())
        .contains("403 Authentication_RequestFromNonPremiumTenantOrB2CTenant")
        .contains("P1 or P2")
        .contains("take signIns out of extract.collections");
  }

  private static List<String> ids(List<AuditLog.Event> events) {
    List<String> ids = new ArrayList<>();
    events.forEach(e -> ids.add(String.valueOf(e.json().get("id"))));
    return ids;
  }

  private static List<Observation> observations(TestKafka kafka, Topics topics, Collection<?> c) {
    List<Observation> out = new ArrayList<>();
    for (ConsumerRecord<?, Observation> r : RawTopic.readAll(kafka, topics.raw(c))) {
      if (r.value().getKind() == ObservationKind.OBSERVED) {
        out.add(r.value());
      }
    }
    return out;
  }

  private static List<String> published(TestKafka kafka, Topics topics, Collection<?> c) {
    assertThat(topics.raw(c).name()).endsWith("events." + c.name());
    return observations(kafka, topics, c).stream().map(Observation::getObjectId).toList();
  }

  private static DirectoryAudit audit(TestKafka kafka, Topics topics, String id) {
    Set<String> seen = new HashSet<>();
    for (Observation o : observations(kafka, topics, Collection.DIRECTORY_AUDITS)) {
      seen.add(o.getObjectId());
      if (o.getObjectId().equals(id)) {
        return (DirectoryAudit) o.getPayload();
      }
    }
    throw new AssertionError("no entry " + id + " among " + seen.size());
  }
}
