package io.dirpipe.transformer.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.EdgeChange;
import io.dirpipe.schemas.EdgeKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.transformer.TransformerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge collections into changes.edges and inventory.edges: added once, removed by the sweep. */
class EdgeChangesTest {
  static final String A = "tenant-a";
  static final String B = "tenant-b";
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  @TempDir Path state;

  final Topics topics = new Topics();
  TopologyTestDriver driver;
  TestInputTopic<ObjectKey, Observation> owners;
  TestInputTopic<ObjectKey, Observation> roles;
  TestOutputTopic<EdgeKey, EdgeChange> changes;
  TestOutputTopic<EdgeKey, Edge> inventory;

  @BeforeEach
  void start() {
    TransformerConfig config =
        new TransformerConfig(
            Map.of(TransformerConfig.COLLECTIONS, "groupOwners,directoryRoleMembers"));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    driver =
        new TopologyTestDriver(ChangeTopology.build(config, topics, new TransformStats()), props);
    owners = input(topics.raw(Collection.GROUP_OWNERS));
    roles = input(topics.raw(Collection.DIRECTORY_ROLE_MEMBERS));
    Topic<EdgeKey, EdgeChange> c = topics.edgeChanges();
    changes =
        driver.createOutputTopic(
            c.name(), c.keySerde().deserializer(), c.valueSerde().deserializer());
    Topic<EdgeKey, Edge> i = topics.edgeInventory();
    inventory =
        driver.createOutputTopic(
            i.name(), i.keySerde().deserializer(), i.valueSerde().deserializer());
  }

  private TestInputTopic<ObjectKey, Observation> input(Topic<ObjectKey, Observation> t) {
    return driver.createInputTopic(
        t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void aFullRunAddsEachEdgeOnceAndTheNextRemovesWhatItDidNotSee() {
    edge(owners, A, "groupOwners", "run-1", T0.plusSeconds(1), "g1", "u1");
    edge(owners, A, "groupOwners", "run-1", T0.plusSeconds(1), "g1", "u2");
    edge(owners, A, "groupOwners", "run-1", T0.plusSeconds(1), "g1", "u2"); // a page again
    runEnd(owners, A, "groupOwners", "run-1", T0);

    assertThat(changes.readKeyValuesToList())
        .extracting(kv -> kv.key, kv -> kv.value.getOp())
        .containsExactly(
            tuple(new EdgeKey(A, "groupOwners", "g1", "u1", ""), MembershipOperation.ADD),
            tuple(new EdgeKey(A, "groupOwners", "g1", "u2", ""), MembershipOperation.ADD));
    assertThat(inventory.readKeyValuesToList()).hasSize(2).allMatch(kv -> kv.value != null);

    // run-2 sees u2 and a new owner u3: u3 added, u1 swept
    edge(owners, A, "groupOwners", "run-2", T0.plusSeconds(130), "g1", "u2");
    edge(owners, A, "groupOwners", "run-2", T0.plusSeconds(130), "g1", "u3");
    runEnd(owners, A, "groupOwners", "run-2", T0.plusSeconds(120));

    var next = changes.readValuesToList();
    assertThat(next)
        .extracting(EdgeChange::getOp, ch -> ch.getEdge().getToId())
        .containsExactly(
            tuple(MembershipOperation.ADD, "u3"), tuple(MembershipOperation.REMOVE, "u1"));
    EdgeChange removal = next.get(1);
    assertThat(removal.getEdge().getToType()).as("the edge as last known").isEqualTo("user");
    assertThat(removal.getSource().getRunId()).isEqualTo("run-2");
    var tombstones = inventory.readKeyValuesToList();
    assertThat(tombstones.get(1).key).isEqualTo(new EdgeKey(A, "groupOwners", "g1", "u1", ""));
    assertThat(tombstones.get(1).value).isNull();
  }

  @Test
  void aRunOfOneKindOrTenantSweepsNoOtherKindOrTenant() {
    edge(owners, A, "groupOwners", "run-1", T0.plusSeconds(1), "g1", "u1");
    edge(owners, B, "groupOwners", "run-b", T0.plusSeconds(1), "g1", "u1");
    edge(roles, A, "directoryRoleMembers", "run-r", T0.plusSeconds(1), "r1", "u9");
    changes.readRecordsToList();

    // a later FULL run of tenant A's role members that sees none of them
    runEnd(roles, A, "directoryRoleMembers", "run-r2", T0.plusSeconds(60));

    assertThat(changes.readValuesToList())
        .singleElement()
        .satisfies(
            ch -> {
              assertThat(ch.getOp()).isEqualTo(MembershipOperation.REMOVE);
              assertThat(ch.getEdge().getKind()).isEqualTo("directoryRoleMembers");
              assertThat(ch.getTenantId()).isEqualTo(A);
            });
  }

  @Test
  void aRemovedEdgeIsRemovedAndAnUnknownOneIsNothing() {
    edge(owners, A, "groupOwners", "run-1", T0.plusSeconds(1), "g1", "u1");
    changes.readRecordsToList();
    Edge gone = new Edge("groupOwners", "g1", "u1", "user", Map.of(), "");
    Edge never = new Edge("groupOwners", "g1", "u7", "user", Map.of(), "");
    for (Edge e : new Edge[] {gone, never}) {
      owners.pipeInput(
          new ObjectKey(A, "g1"),
          new Observation(
              A,
              "groupOwners",
              "g1",
              "delta-1",
              Mode.DELTA,
              1,
              T0.plusSeconds(90),
              ObservationKind.REMOVED,
              RemovedReason.DELETED,
              e,
              null,
              false));
    }
    assertThat(changes.readValuesToList())
        .extracting(EdgeChange::getOp, ch -> ch.getEdge().getToId())
        .containsExactly(tuple(MembershipOperation.REMOVE, "u1"));
  }

  private static void edge(
      TestInputTopic<ObjectKey, Observation> topic,
      String tenant,
      String kind,
      String run,
      Instant at,
      String from,
      String to) {
    topic.pipeInput(
        new ObjectKey(tenant, from),
        new Observation(
            tenant,
            kind,
            from,
            run,
            Mode.FULL,
            1,
            at,
            ObservationKind.OBSERVED,
            null,
            new Edge(kind, from, to, "user", Map.of(), ""),
            null,
            false));
  }

  private static void runEnd(
      TestInputTopic<ObjectKey, Observation> topic,
      String tenant,
      String kind,
      String run,
      Instant started) {
    Observation end =
        new Observation(
            tenant,
            kind,
            null,
            run,
            Mode.FULL,
            1,
            started.plusSeconds(30),
            ObservationKind.RUN_END,
            null,
            null,
            started,
            false);
    topic.pipeInput(new TestRecord<>(new ObjectKey(tenant, ""), end));
  }
}
