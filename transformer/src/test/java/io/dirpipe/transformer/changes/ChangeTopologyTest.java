package io.dirpipe.transformer.changes;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.transformer.TransformerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeTopologyTest {
  static final String A = "tenant-a";
  static final String B = "tenant-b";
  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

  @TempDir Path state;

  final Topics topics = new Topics();
  final TransformStats stats = new TransformStats();
  TopologyTestDriver driver;
  TestInputTopic<ObjectKey, Observation> users;
  TestInputTopic<ObjectKey, Observation> members;
  TestOutputTopic<ObjectKey, Change> changes;
  TestOutputTopic<ObjectKey, User> inventory;
  TestOutputTopic<MembershipKey, MembershipChange> edges;

  @BeforeEach
  void start() {
    TransformerConfig config =
        new TransformerConfig(Map.of(TransformerConfig.COLLECTIONS, "users,groupMembers"));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    driver = new TopologyTestDriver(ChangeTopology.build(config, topics, stats), props);
    users = input(topics.raw(Collection.USERS));
    members = input(topics.raw(Collection.GROUP_MEMBERS));
    Topic<ObjectKey, Change> c = topics.changes(Collection.USERS);
    changes =
        driver.createOutputTopic(
            c.name(), c.keySerde().deserializer(), c.valueSerde().deserializer());
    Topic<ObjectKey, User> i = topics.inventory(Collection.USERS);
    inventory =
        driver.createOutputTopic(
            i.name(), i.keySerde().deserializer(), i.valueSerde().deserializer());
    Topic<MembershipKey, MembershipChange> m = topics.memberships();
    edges =
        driver.createOutputTopic(
            m.name(), m.keySerde().deserializer(), m.valueSerde().deserializer());
  }

  private TestInputTopic<ObjectKey, Observation> input(Topic<ObjectKey, Observation> t) {
    return driver.createInputTopic(
        t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  // ---- objects

  @Test
  void aNewObjectIsCreatedWithEveryFieldItHas() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"));

    Change c = single(changes);
    assertThat(io.dirpipe.schemas.Envelope.op(c)).isEqualTo(Operation.CREATE);
    assertThat(c.getBefore()).isNull();
    assertThat(c.getAfter()).isEqualTo(user("u1", "Sales"));
    assertThat(c.getChangedFields()).containsExactly("id", "displayName", "department");
    assertThat(c.getSource().getRunId()).isEqualTo("run-1");
    assertThat(inventory.readKeyValue().value).isEqualTo(user("u1", "Sales"));
  }

  @Test
  void anUpdateNamesExactlyTheFieldsThatChanged() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"));
    drain();
    User moved = User.newBuilder(user("u1", "Ops")).setJobTitle("Lead").build();
    observe(A, "run-2", Mode.DELTA, moved);

    Change c = single(changes);
    assertThat(io.dirpipe.schemas.Envelope.op(c)).isEqualTo(Operation.UPDATE);
    assertThat(c.getChangedFields()).containsExactly("jobTitle", "department");
    assertThat(c.getBefore()).isEqualTo(user("u1", "Sales"));
    assertThat(c.getAfter()).isEqualTo(moved);
    assertThat(inventory.readKeyValue().value).isEqualTo(moved);
  }

  @Test
  void theSameContentAgainIsNoChange() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"));
    drain();
    observe(A, "run-2", Mode.FULL, user("u1", "Sales"));
    runEnd(A, "run-2", Mode.FULL, T0);

    assertThat(changes.isEmpty()).isTrue();
    assertThat(inventory.isEmpty()).isTrue();
  }

  @Test
  void aChangeOfVolatileFieldsAloneIsNoChange() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"));
    drain();
    observe(
        A,
        "run-2",
        Mode.DELTA,
        User.newBuilder(user("u1", "Sales")).setOnPremisesLastSyncDateTime(T0).build());
    assertThat(changes.isEmpty()).isTrue();

    observe(
        A,
        "run-3",
        Mode.DELTA,
        User.newBuilder(user("u1", "Ops"))
            .setOnPremisesLastSyncDateTime(T0.plusSeconds(60))
            .build());
    assertThat(single(changes).getChangedFields()).containsExactly("department");
  }

  @Test
  void aFullRunDeletesWhatItDidNotSeeAndTombstonesTheInventory() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"), user("u2", "Sales"));
    runEnd(A, "run-1", Mode.FULL, T0);
    drain();

    observe(A, "run-2", Mode.FULL, user("u1", "Sales"));
    runEnd(A, "run-2", Mode.FULL, T0.plusSeconds(60));

    var deleted = changes.readKeyValue();
    assertThat(deleted.key).isEqualTo(new ObjectKey(A, "u2"));
    assertThat(io.dirpipe.schemas.Envelope.op(deleted.value)).isEqualTo(Operation.DELETE);
    assertThat(deleted.value.getDeleteReason()).isEqualTo(RemovedReason.MISSING);
    assertThat(deleted.value.getBefore()).isEqualTo(user("u2", "Sales"));
    assertThat(deleted.value.getAfter()).isNull();
    assertThat(deleted.value.getChangedFields()).isEmpty();
    assertThat(changes.isEmpty()).isTrue();
    var tombstone = inventory.readKeyValue();
    assertThat(tombstone.key).isEqualTo(new ObjectKey(A, "u2"));
    assertThat(tombstone.value).isNull();
  }

  @Test
  void aDeltaRunEndSweepsNothing() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"), user("u2", "Sales"));
    drain();
    observe(A, "run-2", Mode.DELTA, user("u1", "Ops"));
    runEnd(A, "run-2", Mode.DELTA, T0.plusSeconds(60));

    assertThat(io.dirpipe.schemas.Envelope.op(single(changes))).isEqualTo(Operation.UPDATE);
  }

  @Test
  void theInitialRoundOfADeltaQueryIsASnapshotAndSweepsLikeAFullRun() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"), user("u2", "Sales"));
    runEnd(A, "run-1", Mode.FULL, T0);
    drain();
    // u2 is deleted after the FULL run, before the first delta query: the initial round of that
    // query returns only the objects that exist, so no @removed ever names u2
    observe(A, "delta-1", Mode.DELTA, T0.plusSeconds(120), user("u1", "Sales"));
    runEnd(users, A, "delta-1", Mode.DELTA, T0.plusSeconds(100), true);

    var deleted = changes.readKeyValue();
    assertThat(deleted.key).isEqualTo(new ObjectKey(A, "u2"));
    assertThat(io.dirpipe.schemas.Envelope.op(deleted.value)).isEqualTo(Operation.DELETE);
    assertThat(deleted.value.getDeleteReason()).isEqualTo(RemovedReason.MISSING);
    assertThat(changes.isEmpty()).isTrue();
  }

  @Test
  void theSweepSparesObjectsSeenSinceTheRunStarted() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"));
    drain();
    // a delta run observes u2 while the full run-2 (started at T0) is under way
    observe(A, "delta-1", Mode.DELTA, T0.plusSeconds(5), user("u2", "Sales"));
    drain();
    runEnd(A, "run-2", Mode.FULL, T0);

    assertThat(changes.readKeyValue().key).isEqualTo(new ObjectKey(A, "u1"));
    assertThat(changes.isEmpty()).isTrue();
  }

  @Test
  void removedIsADeleteWithGraphsReason() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"), user("u2", "Sales"));
    drain();
    removed(A, "run-2", "u1", RemovedReason.CHANGED);
    removed(A, "run-2", "u2", RemovedReason.DELETED);
    removed(A, "run-2", "never-seen", RemovedReason.DELETED);

    List<Change> deletes = changes.readValuesToList();
    assertThat(deletes).extracting(io.dirpipe.schemas.Envelope::op).containsOnly(Operation.DELETE);
    assertThat(deletes)
        .extracting(Change::getDeleteReason)
        .containsExactly(RemovedReason.CHANGED, RemovedReason.DELETED);
    assertThat(inventory.readValuesToList()).containsExactly(null, null);
  }

  @Test
  void duplicateAndReplayedPagesMakeNoEvents() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"), user("u2", "Sales"));
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"), user("u2", "Sales"));
    runEnd(A, "run-1", Mode.FULL, T0);
    runEnd(A, "run-1", Mode.FULL, T0);
    assertThat(changes.readValuesToList()).hasSize(2);

    // the whole run replayed later, after run-2 changed u1
    observe(A, "run-2", Mode.DELTA, user("u1", "Ops"));
    drain();
    observe(A, "run-2", Mode.DELTA, user("u1", "Ops"));
    assertThat(changes.isEmpty()).isTrue();
  }

  @Test
  void tenantsDoNotMix() {
    observe(A, "run-a1", Mode.FULL, user("u1", "Sales"));
    observe(B, "run-b1", Mode.FULL, user("u1", "Sales"));
    assertThat(changes.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly(new ObjectKey(A, "u1"), new ObjectKey(B, "u1"));

    observe(A, "run-a2", Mode.FULL, user("u9", "Sales"));
    runEnd(A, "run-a2", Mode.FULL, T0.plusSeconds(60));

    var events = changes.readKeyValuesToList();
    assertThat(events)
        .extracting(kv -> kv.key)
        .containsExactly(new ObjectKey(A, "u9"), new ObjectKey(A, "u1"));
    assertThat(io.dirpipe.schemas.Envelope.op(events.get(1).value)).isEqualTo(Operation.DELETE);
  }

  @Test
  void counts() {
    observe(A, "run-1", Mode.FULL, user("u1", "Sales"));
    assertThat(stats.snapshot().get("users"))
        .containsEntry("input", 1L)
        .containsEntry("CREATE", 1L);
  }

  // ---- memberships

  @Test
  void membershipsAddOnceAndRemoveByDeltaAndBySweep() {
    member(A, "run-1", Mode.FULL, T0.plusSeconds(1), "g1", "u1", false);
    member(A, "run-1", Mode.FULL, T0.plusSeconds(1), "g1", "u2", false);
    member(A, "run-1", Mode.FULL, T0.plusSeconds(1), "g1", "u2", false); // duplicate page
    runEnd(members, A, "run-1", Mode.FULL, T0);
    assertThat(edges.readValuesToList())
        .extracting(MembershipChange::getOp, MembershipChange::getMemberId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(MembershipOperation.ADD, "u1"),
            org.assertj.core.groups.Tuple.tuple(MembershipOperation.ADD, "u2"));

    member(A, "delta-1", Mode.DELTA, T0.plusSeconds(70), "g1", "u1", true);
    member(A, "delta-1", Mode.DELTA, T0.plusSeconds(70), "g1", "u3", false);
    var delta = edges.readKeyValuesToList();
    assertThat(delta.get(0).key).isEqualTo(new MembershipKey(A, "g1", "u1"));
    assertThat(delta.get(0).value.getOp()).isEqualTo(MembershipOperation.REMOVE);
    assertThat(delta.get(1).value.getOp()).isEqualTo(MembershipOperation.ADD);
    assertThat(delta.get(1).value.getMemberType()).isEqualTo("user");

    // run-2 lists only u3: u2 goes
    member(A, "run-2", Mode.FULL, T0.plusSeconds(130), "g1", "u3", false);
    runEnd(members, A, "run-2", Mode.FULL, T0.plusSeconds(120));
    var swept = single(edges);
    assertThat(swept.getOp()).isEqualTo(MembershipOperation.REMOVE);
    assertThat(swept.getMemberId()).isEqualTo("u2");
  }

  @Test
  void aRemovedGroupTakesAllItsEdgesAndNoOtherGroups() {
    member(A, "run-1", Mode.FULL, T0.plusSeconds(1), "g1", "u1", false);
    member(A, "run-1", Mode.FULL, T0.plusSeconds(1), "g1", "u2", false);
    member(A, "run-1", Mode.FULL, T0.plusSeconds(1), "g11", "u1", false); // g1's id is its prefix
    member(B, "run-b", Mode.FULL, T0.plusSeconds(1), "g1", "u1", false); // another tenant
    edges.readValuesToList();

    member(A, "delta-1", Mode.DELTA, T0.plusSeconds(70), "g1", "", true); // g1 was deleted
    assertThat(edges.readKeyValuesToList())
        .extracting(kv -> kv.key, kv -> kv.value.getOp())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                new MembershipKey(A, "g1", "u1"), MembershipOperation.REMOVE),
            org.assertj.core.groups.Tuple.tuple(
                new MembershipKey(A, "g1", "u2"), MembershipOperation.REMOVE));

    member(A, "delta-2", Mode.DELTA, T0.plusSeconds(80), "g1", "", true); // reported again
    assertThat(edges.readValuesToList()).isEmpty();
  }

  // ---- helpers

  static User user(String id, String department) {
    return User.newBuilder()
        .setId(id)
        .setDisplayName("User " + id)
        .setDepartment(department)
        .build();
  }

  private void observe(String tenant, String run, Mode mode, User... objects) {
    observe(tenant, run, mode, T0.minusSeconds(60), objects);
  }

  private void observe(String tenant, String run, Mode mode, Instant at, User... objects) {
    for (User u : objects) {
      users.pipeInput(
          new ObjectKey(tenant, u.getId()),
          obs(tenant, "users", u.getId(), run, mode, at, ObservationKind.OBSERVED, null, u));
    }
  }

  private void removed(String tenant, String run, String id, RemovedReason reason) {
    users.pipeInput(
        new ObjectKey(tenant, id),
        obs(tenant, "users", id, run, Mode.DELTA, T0, ObservationKind.REMOVED, reason, null));
  }

  private void member(
      String tenant, String run, Mode mode, Instant at, String group, String id, boolean gone) {
    members.pipeInput(
        new ObjectKey(tenant, group),
        obs(
            tenant,
            "groupMembers",
            group,
            run,
            mode,
            at,
            gone ? ObservationKind.REMOVED : ObservationKind.OBSERVED,
            gone ? RemovedReason.DELETED : null,
            new Member(group, id, "user")));
  }

  private void runEnd(String tenant, String run, Mode mode, Instant started) {
    runEnd(users, tenant, run, mode, started);
  }

  private static void runEnd(
      TestInputTopic<ObjectKey, Observation> topic,
      String tenant,
      String run,
      Mode mode,
      Instant started) {
    runEnd(topic, tenant, run, mode, started, false);
  }

  private static void runEnd(
      TestInputTopic<ObjectKey, Observation> topic,
      String tenant,
      String run,
      Mode mode,
      Instant started,
      boolean snapshot) {
    Observation end =
        new Observation(
            tenant,
            "x",
            null,
            run,
            mode,
            1,
            started.plusSeconds(30),
            ObservationKind.RUN_END,
            null,
            null,
            started,
            snapshot);
    topic.pipeInput(new TestRecord<>(new ObjectKey(tenant, ""), end));
  }

  private static Observation obs(
      String tenant,
      String collection,
      String id,
      String run,
      Mode mode,
      Instant at,
      ObservationKind kind,
      RemovedReason reason,
      SpecificRecord payload) {
    return new Observation(
        tenant, collection, id, run, mode, 1, at, kind, reason, payload, null, false);
  }

  private void drain() {
    changes.readRecordsToList();
    inventory.readRecordsToList();
    edges.readRecordsToList();
  }

  private static <V> V single(TestOutputTopic<?, V> topic) {
    List<V> values = topic.readValuesToList();
    assertThat(values).hasSize(1);
    return values.get(0);
  }
}
