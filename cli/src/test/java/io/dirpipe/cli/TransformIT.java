package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.lake.ParquetFiles;
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
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer on a real broker, fed by the extractor from the sandbox: change events match what
 * the sandbox changed, the inventory equals the tenant, replay and verify tell the truth.
 */
@ExtendWith(KafkaExtension.class)
class TransformIT {
  static final int USERS = 5_000;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Map<String, String> env;
  Map<String, Object> kafka;
  Topics topics;
  Set<String> run1Ids;

  @Test
  void changesInventoryReplayAndVerify(TestKafka broker) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF))) {
      String prefix = "tr" + UUID.randomUUID().toString().substring(0, 6) + ".";
      env = new HashMap<>(PackagedDirpipe.extractorEnv(sandbox, broker, prefix));
      env.put("DIRPIPE_TRANSFORM_STATE_DIR", dir.resolve("state").toString());
      env.put("DIRPIPE_TRANSFORM_APPLICATION_ID", prefix + "transformer");
      kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
      topics = new Topics(prefix);
      SandboxClients clients = new SandboxClients(sandbox);
      String tenant = sandbox.tenant().tenantId();

      // 1. a FULL run: one CREATE per user, one ADD per membership edge
      JsonNode full1 = extract("full", "users,groupMembers");
      String run1 = run(full1, "users").path("runId").asText();
      transform();
      List<Change> creates = changes();
      assertThat(creates).hasSize(USERS);
      assertThat(creates)
          .extracting(io.dirpipe.schemas.Envelope::op)
          .containsOnly(Operation.CREATE);
      assertThat(keysOf(changesWithKeys())).hasSize(USERS);
      long edges = memberships().size();
      assertThat(edges).isEqualTo(run(full1, "groupMembers").path("records").asLong()).isPositive();
      Instant betweenRuns = Instant.now();
      await("the clock to pass " + betweenRuns).until(() -> Instant.now().isAfter(betweenRuns));

      // 2. the first DELTA run syncs everything again: nothing changed, no events
      extract("delta", "users,groups,groupMembers");
      transform();
      assertThat(changes()).hasSize(USERS);

      // 3. 500 changes in the tenant, then a DELTA run: exactly those events
      JsonNode report =
          clients.control(
              "mutate",
              "{\"collection\":\"users\",\"creates\":100,\"updates\":300,\"deletes\":100,\"seed\":11}");
      JsonNode memberReport =
          clients.control(
              "mutate", "{\"collection\":\"groupMembers\",\"adds\":40,\"removes\":20,\"seed\":12}");
      extract("delta", "users,groups,groupMembers");
      transform();
      List<Change> delta = changes().subList(USERS, changes().size());
      assertThat(delta).hasSize(500);
      Map<String, Change> byId = new HashMap<>();
      delta.forEach(c -> byId.put(idOf(c), c));
      for (JsonNode u : report.path("updated")) {
        Change c = byId.get(u.path("id").asText());
        assertThat(io.dirpipe.schemas.Envelope.op(c)).isEqualTo(Operation.UPDATE);
        Set<String> expected = new HashSet<>();
        u.path("changedFields").forEach(f -> expected.add(f.asText()));
        assertThat(c.getChangedFields()).containsExactlyInAnyOrderElementsOf(expected);
      }
      for (JsonNode id : report.path("deleted")) {
        Change c = byId.get(id.asText());
        assertThat(io.dirpipe.schemas.Envelope.op(c)).isEqualTo(Operation.DELETE);
        assertThat(c.getDeleteReason()).isEqualTo(RemovedReason.CHANGED);
      }
      for (JsonNode id : report.path("created")) {
        assertThat(io.dirpipe.schemas.Envelope.op(byId.get(id.asText())))
            .isEqualTo(Operation.CREATE);
      }
      List<MembershipChange> edgeChanges = memberships();
      assertThat(
              edgeChanges.subList((int) edges, edgeChanges.size()).stream()
                  .map(m -> m.getOp() + " " + m.getGroupId() + "/" + m.getMemberId())
                  .collect(Collectors.toSet()))
          .as("the edges added and removed, and those the 100 deleted users left")
          .isEqualTo(netEdgeChanges(report.path("memberships"), memberReport.path("memberships")));

      // 4. deletes seen only by the next FULL run: swept
      JsonNode deletes =
          clients.control("mutate", "{\"collection\":\"users\",\"deletes\":30,\"seed\":13}");
      JsonNode full2 = extract("full", "users");
      String run2 = run(full2, "users").path("runId").asText();
      transform();
      List<Change> swept = changes().subList(USERS + 500, changes().size());
      assertThat(swept).extracting(io.dirpipe.schemas.Envelope::op).containsOnly(Operation.DELETE);
      assertThat(swept).extracting(Change::getDeleteReason).containsOnly(RemovedReason.MISSING);
      assertThat(swept.stream().map(TransformIT::idOf).collect(Collectors.toSet()))
          .isEqualTo(toSet(deletes.path("deleted"), JsonNode::asText));

      // 5. the compacted inventory equals the tenant's users
      Map<String, User> inventory = new HashMap<>();
      TopicReader.readAll(
          KafkaClients.of(kafka),
          topics.inventory(Collection.USERS),
          r -> {
            if (r.value() == null) {
              inventory.remove(r.key().getObjectId());
            } else {
              inventory.put(r.key().getObjectId(), r.value());
            }
          });
      ObjectStore users = sandbox.tenant().store(Kind.USER);
      Map<String, Object> live = new HashMap<>();
      for (int p = 0; p < users.positions(); p++) {
        if (users.at(p) != null) {
          live.put(users.idAt(p), users.at(p));
        }
      }
      assertThat(inventory.keySet()).isEqualTo(live.keySet());
      for (var e : inventory.entrySet()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tenantUser = (Map<String, Object>) live.get(e.getKey());
        assertThat(e.getValue().getJobTitle()).isEqualTo(tenantUser.get("jobTitle"));
        assertThat(e.getValue().getDepartment()).isEqualTo(tenantUser.get("department"));
      }

      // 6. replay between the runs: the first run's users, exactly
      Path jsonl = dir.resolve("users.jsonl");
      StringWriter out = new StringWriter();
      int code =
          dirpipe(
              out,
              "replay",
              "--collection",
              "users",
              "--at",
              betweenRuns.toString(),
              "--out",
              jsonl.toString(),
              "--json");
      assertThat(code).as(out.toString()).isZero();
      assertThat(JSON.readTree(out.toString()).path("count").asInt()).isEqualTo(USERS);
      assertThat(Set.copyOf(Files.readAllLines(jsonl))).isEqualTo(run1AsJsonLines(run1, tenant));
      Path parquet = dir.resolve("users.parquet");
      code =
          dirpipe(
              new StringWriter(),
              "replay",
              "--collection",
              "users",
              "--at",
              betweenRuns.toString(),
              "--out",
              parquet.toString(),
              "--format",
              "parquet");
      assertThat(code).isZero();
      assertThat(ParquetFiles.read(parquet)).hasSize(USERS);

      // 7. verify: intact runs pass; a record missing from the comparison fails, naming it
      assertThat(dirpipe(new StringWriter(), "verify", "--run", run1)).isZero();
      assertThat(dirpipe(new StringWriter(), "verify", "--run", run2)).isZero();
      String copy = prefix + "copy.";
      String dropped = copyWithout(prefix, copy, run2);
      env.put("DIRPIPE_TOPICS_PREFIX", copy);
      StringWriter verdict = new StringWriter();
      assertThat(dirpipe(verdict, "verify", "--run", run2)).isEqualTo(Main.FAILURE);
      assertThat(verdict.toString())
          .contains(
              "records " + (USERS - 31) + "/" + (USERS - 30)) // 100 created, 130 deleted, 1 dropped
          .contains("1 missing")
          .contains(dropped)
          .contains("NOT verified");
    }
  }

  private JsonNode extract(String mode, String collections) throws Exception {
    StringWriter out = new StringWriter();
    int code = dirpipe(out, "extract", "--mode", mode, "--collections", collections, "--json");
    assertThat(code).as(out.toString()).isZero();
    return JSON.readTree(out.toString());
  }

  private void transform() throws Exception {
    StringWriter out = new StringWriter();
    int code = dirpipe(out, "transform", "--until-idle", "2s", "--json");
    assertThat(code).as(out.toString()).isZero();
  }

  private int dirpipe(StringWriter out, String... args) {
    return InProcess.dirpipe(env, out, args);
  }

  private static JsonNode run(JsonNode summary, String collection) {
    for (JsonNode r : summary.path("runs")) {
      if (r.path("collection").asText().equals(collection)) {
        return r;
      }
    }
    throw new AssertionError("no run of " + collection + " in " + summary);
  }

  private List<Change> changes() {
    List<Change> all = new ArrayList<>();
    changesWithKeys().forEach(kv -> all.add(kv.getValue()));
    all.sort(java.util.Comparator.comparing(Change::getTsMs));
    return all;
  }

  private List<Map.Entry<ObjectKey, Change>> changesWithKeys() {
    List<Map.Entry<ObjectKey, Change>> all = new ArrayList<>();
    TopicReader.readAll(
        KafkaClients.of(kafka),
        topics.changes(Collection.USERS),
        r -> all.add(Map.entry(r.key(), r.value())));
    return all;
  }

  private static Set<ObjectKey> keysOf(List<Map.Entry<ObjectKey, Change>> changes) {
    return changes.stream().map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  private List<MembershipChange> memberships() {
    List<MembershipChange> all = new ArrayList<>();
    TopicReader.readAll(KafkaClients.of(kafka), topics.memberships(), r -> all.add(r.value()));
    all.sort(java.util.Comparator.comparing(MembershipChange::getTs));
    return all;
  }

  private static String idOf(Change c) {
    User u = (User) (c.getAfter() != null ? c.getAfter() : c.getBefore());
    return u.getId();
  }

  /**
   * What a delta query reports after the mutations: per edge the net effect (an edge added, then
   * removed, never was).
   */
  private static Set<String> netEdgeChanges(JsonNode... mutationLists) {
    Map<String, List<String>> opsByEdge = new java.util.LinkedHashMap<>();
    for (JsonNode m :
        java.util.Arrays.stream(mutationLists)
            .flatMap(l -> java.util.stream.StreamSupport.stream(l.spliterator(), false))
            .toList()) {
      opsByEdge
          .computeIfAbsent(
              m.path("groupId").asText() + "/" + m.path("memberId").asText(),
              e -> new ArrayList<>())
          .add(m.path("op").asText());
    }
    Set<String> net = new HashSet<>();
    opsByEdge.forEach(
        (edge, ops) -> {
          if (ops.get(0).equals(ops.get(ops.size() - 1))) {
            net.add(ops.get(ops.size() - 1) + " " + edge);
          }
        });
    return net;
  }

  private static Set<String> toSet(
      JsonNode array, java.util.function.Function<JsonNode, String> f) {
    Set<String> s = new HashSet<>();
    array.forEach(n -> s.add(f.apply(n)));
    return s;
  }

  /** The users run 1 observed, as the JSON lines replay writes. */
  private Set<String> run1AsJsonLines(String run1, String tenant) throws Exception {
    Map<ObjectKey, User> users =
        new java.util.TreeMap<>(java.util.Comparator.comparing(ObjectKey::getObjectId));
    TopicReader.readAll(
        KafkaClients.of(kafka),
        topics.raw(Collection.USERS),
        r -> {
          if (r.value().getRunId().equals(run1)
              && r.value().getKind() == ObservationKind.OBSERVED) {
            users.put(r.key(), (User) r.value().getPayload());
          }
        });
    Path expected = dir.resolve("expected.jsonl");
    ReplayCommand.writeJsonLines(users, expected);
    assertThat(users).hasSize(USERS);
    run1Ids = users.keySet().stream().map(ObjectKey::getObjectId).collect(Collectors.toSet());
    return Set.copyOf(Files.readAllLines(expected));
  }

  /**
   * Copies the runs and raw users topics to another prefix, leaving out one observation of {@code
   * run} that run 1 also observed; returns the id left out.
   */
  private String copyWithout(String from, String to, String run) throws Exception {
    Topics source = new Topics(from);
    Topics target = new Topics(to);
    TopicSetup.ensure(
        KafkaClients.of(kafka),
        List.of(target.runs(), target.raw(Collection.USERS)),
        io.dirpipe.schemas.TopicLayout.DEFAULT);
    String[] dropped = new String[1];
    Map<String, Object> config = new HashMap<>(kafka);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      copy(source.runs(), target.runs().name(), p, r -> true);
      copy(
          source.raw(Collection.USERS),
          target.raw(Collection.USERS).name(),
          p,
          r -> {
            Observation o = r;
            if (dropped[0] == null
                && o.getRunId().equals(run)
                && o.getKind() == ObservationKind.OBSERVED
                && run1Ids.contains(o.getObjectId())) {
              dropped[0] = o.getObjectId();
              return false;
            }
            return true;
          });
    }
    return dropped[0];
  }

  private <K, V> void copy(
      io.dirpipe.schemas.Topic<K, V> topic,
      String to,
      KafkaProducer<byte[], byte[]> p,
      java.util.function.Predicate<V> keep) {
    TopicReader.readAll(
        KafkaClients.of(kafka),
        topic,
        r -> {
          if (keep.test(r.value())) {
            p.send(
                new ProducerRecord<>(
                    to,
                    r.partition(),
                    topic.keySerde().serializer().serialize(to, r.key()),
                    topic.valueSerde().serializer().serialize(to, r.value())));
          }
        });
    p.flush();
  }
}
