package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.Audience;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.identity.diagnose.Diagnosis;
import io.dirpipe.identity.diagnose.Probe;
import io.dirpipe.identity.graph.ApiClient;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Edge collections (owners of groups, applications and service principals; members of directory
 * roles), read FULL: every edge the tenant holds published once, and the permission each needs
 * named when it is missing.
 */
@ExtendWith(KafkaExtension.class)
class RelationsIT {
  static final Map<Collection<?>, Kind> PARENTS =
      Map.of(
          Collection.GROUP_OWNERS, Kind.GROUP,
          Collection.APPLICATION_OWNERS, Kind.APPLICATION,
          Collection.SERVICE_PRINCIPAL_OWNERS, Kind.SERVICE_PRINCIPAL,
          Collection.DIRECTORY_ROLE_MEMBERS, Kind.DIRECTORY_ROLE);

  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /** The edges the tenant holds: from/to of every live parent's related objects. */
  static Set<String> edges(Sandbox sandbox, Kind parent) {
    Set<String> edges = new HashSet<>();
    ObjectStore store = sandbox.tenant().store(parent);
    for (int p = 0; p < store.positions(); p++) {
      String id = store.idAt(p);
      if (id == null || store.get(id) == null) {
        continue;
      }
      for (Memberships.Member m : sandbox.tenant().relations().of(parent, id)) {
        edges.add(id + "/" + m.id());
      }
    }
    return edges;
  }

  @Test
  void aFullRunOfEachEdgeCollectionPublishesEveryEdgeOfTheTenantOnce(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(2_000).withQuota(Throttle.Quota.OFF));
    // a user deleted before the run has left the relations it was in
    String owner = sandbox.tenant().relations().of(Kind.GROUP, groupId(0)).get(0).id();
    sandbox.tenant().delete(Kind.USER, owner);
    Topics topics = SandboxExtractors.topics();
    List<RunSummary> runs =
        SandboxExtractors.extractor(
                sandbox,
                kafka,
                topics,
                Map.of(
                    ExtractorConfig.COLLECTIONS,
                    "groupOwners,applicationOwners,servicePrincipalOwners,directoryRoleMembers",
                    // pages of 7: several parents pages, each listing its own page
                    ExtractorConfig.PAGE_SIZE,
                    "7"))
            .runOnce();

    assertThat(runs).hasSize(4);
    for (RunSummary run : runs) {
      assertThat(run.status()).as(run.collection() + ": " + run.error()).isEqualTo("completed");
      Collection<?> c = Collection.of(run.collection());
      Set<String> expected = edges(sandbox, PARENTS.get(c));
      assertThat(expected).as(c + " in the tenant").isNotEmpty().noneMatch(e -> e.endsWith(owner));

      Set<String> published = new HashSet<>();
      for (Observation o : RawTopic.run(RawTopic.readAll(kafka, topics.raw(c)), run.runId())) {
        Edge e = (Edge) o.getPayload();
        assertThat(e.getKind()).isEqualTo(c.name());
        assertThat(o.getObjectId()).as("keyed by the parent").isEqualTo(e.getFromId());
        assertThat(e.getToType()).isEqualTo("user");
        String edge = e.getFromId() + "/" + e.getToId();
        assertThat(published.add(edge)).as(c + " published twice: " + edge).isTrue();
      }
      assertThat(published).as(c.name()).isEqualTo(expected);
      assertThat(run.records()).isEqualTo(expected.size());
    }
  }

  @Test
  void withoutItsPermissionAnEdgeCollectionFailsAndDiagnoseNamesThePermission(TestKafka kafka)
      throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(300).withQuota(Throttle.Quota.OFF));
    Identity narrow =
        sandbox
            .tenant()
            .addApplication("narrow", List.of("User.Read.All"), List.of(), Duration.ofDays(1));
    CachingCredential credential =
        new CachingCredential(new SandboxClients(sandbox).appCredential(narrow));

    RunSummary run =
        new Extractor(
                new ExtractorConfig(Map.of(ExtractorConfig.COLLECTIONS, "applicationOwners")),
                sandbox.tenant().tenantId(),
                sandbox.url(),
                credential,
                kafka.clients(),
                SandboxExtractors.topics())
            .runOnce()
            .get(0);
    assertThat(run.status()).isEqualTo("failed");
    assertThat(run.error()).contains("403");

    ApiClient graph =
        new ApiClient(sandbox.url(), credential, Audience.GRAPH, HttpClient.newHttpClient());
    List<Probe> probes =
        new Diagnosis(graph, null, null, Clock.systemUTC())
            .run(
                List.of(
                    "groupOwners",
                    "applicationOwners",
                    "servicePrincipalOwners",
                    "directoryRoleMembers"))
            .probes();
    Map<String, String> needed =
        Map.of(
            "groupOwners", "GroupMember.Read.All",
            "applicationOwners", "Application.Read.All",
            "servicePrincipalOwners", "Application.Read.All",
            "directoryRoleMembers", "RoleManagement.Read.Directory");
    assertThat(probes).hasSize(4);
    for (Probe p : probes) {
      // the parents are refused already: the edge collection's probe names its own permission
      String text = p.explanation() + " " + p.fix();
      assertThat(p.status()).as(p.target()).isEqualTo(403);
      assertThat(text).as(p.target() + ": " + text).contains(needed.get(p.target()));
    }
  }

  private String groupId(int index) {
    return sandbox.tenant().ids().of(Kind.GROUP, index);
  }
}
