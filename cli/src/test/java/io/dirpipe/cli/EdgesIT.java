package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.EdgeChange;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.entity.RoleAssignment;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners and role members end to end on a real broker: extracted FULL, turned into ADD / REMOVE
 * events in changes.edges and a compacted inventory.edges that equals the tenant, and verified.
 */
@ExtendWith(KafkaExtension.class)
class EdgesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String EDGES = "groupOwners,directoryRoleMembers";

  /** The edges, and the role assignments that the role members are in the unified RBAC view. */
  static final String COLLECTIONS = EDGES + ",roleAssignments";

  @TempDir Path dir;

  Map<String, String> env;

  @Test
  void ownersAndRoleMembersBecomeEdgeEventsAndAnInventoryThatEqualsTheTenant(TestKafka broker)
      throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(1_000).withQuota(Throttle.Quota.OFF))) {
      String prefix = "ed" + UUID.randomUUID().toString().substring(0, 6) + ".";
      env = InProcess.pipelineEnv(sandbox, broker, prefix, dir.resolve("state"), COLLECTIONS);
      Topics topics = new Topics(prefix);
      KafkaClients kafka = KafkaClients.of(Map.of("bootstrap.servers", broker.bootstrapServers()));

      // 1. a FULL run of each: one ADD per edge of the tenant
      JsonNode full1 = InProcess.extractAndTransform(env, COLLECTIONS);
      List<EdgeChange> first = changes(kafka, topics);
      assertThat(first).allMatch(c -> c.getOp().name().equals("ADD"));
      assertThat(edgesOf(first)).isEqualTo(tenantEdges(sandbox));
      for (JsonNode run : full1.path("runs")) {
        StringWriter verdict = new StringWriter();
        assertThat(dirpipe(verdict, "verify", "--run", run.path("runId").asText()))
            .as(verdict.toString())
            .isZero();
      }

      Set<String> before = tenantEdges(sandbox);
      Instant betweenRuns = InProcess.tick();

      // 2. owners and role members added and removed, then FULL runs again: exactly those events
      SandboxClients clients = new SandboxClients(sandbox);
      // net changes: an edge added and removed by the same mutation is no change to the tenant
      Map<String, String> net = new HashMap<>();
      for (String c : EDGES.split(",")) {
        JsonNode report =
            clients.control(
                "mutate", "{\"collection\":\"" + c + "\",\"adds\":4,\"removes\":3,\"seed\":5}");
        assertThat(report.path("memberships")).as(c + " mutated").hasSize(7);
        for (JsonNode e : report.path("memberships")) {
          String edge =
              e.path("kind").asText()
                  + " "
                  + e.path("fromId").asText()
                  + "/"
                  + e.path("toId").asText();
          if (net.remove(edge) == null) {
            net.put(edge, e.path("op").asText());
          }
        }
      }
      Set<String> expected = new HashSet<>();
      net.forEach((edge, op) -> expected.add(op + " " + edge));
      InProcess.extractAndTransform(env, COLLECTIONS);
      // the events since step 1 (a topic is read partition by partition: not a list suffix)
      List<String> since = new ArrayList<>(described(changes(kafka, topics)));
      described(first).forEach(since::remove);
      assertThat(since).containsExactlyInAnyOrderElementsOf(expected);

      // the role members added and removed are role assignments created and deleted
      Set<String> expectedAssignments = new HashSet<>();
      net.forEach(
          (edge, op) -> {
            if (edge.startsWith("directoryRoleMembers ")) {
              String[] ends = edge.substring("directoryRoleMembers ".length()).split("/");
              Object template =
                  sandbox.tenant().store(Kind.DIRECTORY_ROLE).get(ends[0]).get("roleTemplateId");
              expectedAssignments.add(
                  (op.equals("ADD") ? "CREATE " : "DELETE ") + template + "/" + ends[1]);
            }
          });
      assertThat(expectedAssignments).isNotEmpty();
      List<String> assignmentChanges = new ArrayList<>();
      TopicReader.readAll(
          kafka,
          topics.changes(Collection.ROLE_ASSIGNMENTS),
          r -> {
            RoleAssignment a =
                (RoleAssignment)
                    (r.value().getAfter() != null ? r.value().getAfter() : r.value().getBefore());
            assignmentChanges.add(
                io.dirpipe.schemas.Envelope.op(r.value())
                    + " "
                    + a.getRoleDefinitionId()
                    + "/"
                    + a.getPrincipalId());
          });
      assignmentChanges.removeIf(c -> c.startsWith("CREATE ") && !expectedAssignments.contains(c));
      assertThat(assignmentChanges)
          .as("CREATEs of run 1 aside, exactly the mutations")
          .containsExactlyInAnyOrderElementsOf(expectedAssignments);

      // 3. the compacted inventory of edges is the tenant's
      Map<String, Edge> inventory = new HashMap<>();
      TopicReader.readAll(
          kafka,
          topics.edgeInventory(),
          r -> {
            String k = r.key().getKind() + " " + r.key().getFromId() + "/" + r.key().getToId();
            if (r.value() == null) {
              inventory.remove(k);
            } else {
              inventory.put(k, r.value());
            }
          });
      assertThat(inventory.keySet()).isEqualTo(tenantEdges(sandbox));

      // 4. replay: the owners as they were between the runs, and all edges now
      Path owners = dir.resolve("owners.jsonl");
      StringWriter replayed = new StringWriter();
      assertThat(
              dirpipe(
                  replayed,
                  "replay",
                  "--collection",
                  "edges",
                  "--kind",
                  "groupOwners",
                  "--at",
                  betweenRuns.toString(),
                  "--out",
                  owners.toString(),
                  "--json"))
          .as(replayed.toString())
          .isZero();
      Set<String> ownersThen = new HashSet<>();
      for (String line : Files.readAllLines(owners)) {
        JsonNode e = JSON.readTree(line);
        ownersThen.add(
            e.path("kind").asText()
                + " "
                + e.path("fromId").asText()
                + "/"
                + e.path("toId").asText());
      }
      assertThat(ownersThen)
          .isEqualTo(
              before.stream()
                  .filter(e -> e.startsWith("groupOwners "))
                  .collect(java.util.stream.Collectors.toSet()));
      StringWriter now = new StringWriter();
      assertThat(
              dirpipe(
                  now,
                  "replay",
                  "--collection",
                  "edges",
                  "--at",
                  Instant.now().toString(),
                  "--json"))
          .as(now.toString())
          .isZero();
      assertThat(JSON.readTree(now.toString()).path("count").asInt())
          .isEqualTo(tenantEdges(sandbox).size());
    }
  }

  /** "kind from/to" of every edge the tenant holds now. */
  private static Set<String> tenantEdges(Sandbox sandbox) {
    Set<String> edges = new HashSet<>();
    Map<String, Kind> parents =
        Map.of("groupOwners", Kind.GROUP, "directoryRoleMembers", Kind.DIRECTORY_ROLE);
    parents.forEach(
        (kind, parent) -> {
          ObjectStore store = sandbox.tenant().store(parent);
          for (int p = 0; p < store.positions(); p++) {
            String id = store.idAt(p);
            if (store.at(p) != null) {
              for (Memberships.Member m : sandbox.tenant().relations().of(parent, id)) {
                edges.add(kind + " " + id + "/" + m.id());
              }
            }
          }
        });
    return edges;
  }

  private static List<String> described(List<EdgeChange> changes) {
    return changes.stream()
        .map(
            c ->
                c.getOp()
                    + " "
                    + c.getEdge().getKind()
                    + " "
                    + c.getEdge().getFromId()
                    + "/"
                    + c.getEdge().getToId())
        .toList();
  }

  private static Set<String> edgesOf(List<EdgeChange> changes) {
    Set<String> edges = new HashSet<>();
    for (EdgeChange c : changes) {
      edges.add(
          c.getEdge().getKind() + " " + c.getEdge().getFromId() + "/" + c.getEdge().getToId());
    }
    assertThat(edges).as("each edge once").hasSize(changes.size());
    return edges;
  }

  private static List<EdgeChange> changes(KafkaClients kafka, Topics topics) {
    List<EdgeChange> out = new ArrayList<>();
    TopicReader.readAll(kafka, topics.edgeChanges(), r -> out.add(r.value()));
    return out;
  }

  private int dirpipe(StringWriter out, String... args) {
    return InProcess.dirpipe(env, out, args);
  }
}
