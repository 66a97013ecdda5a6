package io.dirpipe.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.ManualTime;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.SinkStats;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's other tables: memberships (history and current), raw observations and run events (read
 * back exactly as published: what {@code verify --source lake} relies on), and a table that gains
 * the columns the contract gained.
 */
class IcebergTablesTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  final Topics topics = new Topics("t.");
  final ManualTime time = new ManualTime();
  final SinkStats stats = new SinkStats();
  @TempDir Path lake;

  @Test
  void membershipsHaveAHistoryAndACurrentTable() throws Exception {
    IcebergSink sink = sink(Set.of("memberships"), Collection.GROUP_MEMBERS);
    Topic<MembershipKey, MembershipChange> t = topics.memberships();
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(record(t, 0, key("g1", "u1"), member(MembershipOperation.ADD, "g1", "u1", 0)));
    batch.add(record(t, 1, key("g1", "u2"), member(MembershipOperation.ADD, "g1", "u2", 1)));
    sink.accept(new ConsumerRecords<>(Map.of(new TopicPartition(t.name(), 0), batch), Map.of()));
    sink.flush(List.of());
    List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>();
    next.add(record(t, 2, key("g1", "u1"), member(MembershipOperation.REMOVE, "g1", "u1", 2)));
    sink.accept(new ConsumerRecords<>(Map.of(new TopicPartition(t.name(), 0), next), Map.of()));
    sink.flush(List.of());

    assertThat(rows("memberships_current"))
        .extracting(r -> r.getField("groupId") + "/" + r.getField("memberId"))
        .containsExactly("g1/u2");
    assertThat(rows("memberships_history"))
        .extracting(
            r ->
                r.getField("memberId")
                    + " "
                    + r.getField("op")
                    + " "
                    + IcebergSinkTest.seconds(r.getField("valid_from"))
                    + ".."
                    + IcebergSinkTest.seconds(r.getField("valid_to")))
        .containsExactlyInAnyOrder("u1 c 0..2", "u2 c 1..", "u1 d 2..");
  }

  @Test
  void edgesAreReplayedFromTheirHistory() throws Exception {
    IcebergSink sink = sink(Set.of("edges"), Collection.GROUP_OWNERS);
    Topic<io.dirpipe.schemas.EdgeKey, io.dirpipe.schemas.EdgeChange> t = topics.edgeChanges();
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(edge(t, 0, MembershipOperation.ADD, "groupOwners", "g1", "u1", 0));
    batch.add(edge(t, 1, MembershipOperation.ADD, "groupOwners", "g1", "u2", 1));
    batch.add(edge(t, 2, MembershipOperation.ADD, "applicationOwners", "a1", "u1", 1));
    batch.add(edge(t, 3, MembershipOperation.REMOVE, "groupOwners", "g1", "u1", 2));
    sink.accept(new ConsumerRecords<>(Map.of(new TopicPartition(t.name(), 0), batch), Map.of()));
    sink.flush(List.of());

    var catalog = LakeCatalog.embedded(lake);
    java.util.function.BiFunction<String, Double, List<String>> at =
        (kind, s) ->
            LakeReplay.edgesAt(catalog, kind, T.plusMillis((long) (s * 1000))).values().stream()
                .map(e -> e.getKind() + " " + e.getFromId() + "/" + e.getToId())
                .toList();
    assertThat(at.apply("groupOwners", 1.5))
        .containsExactly("groupOwners g1/u1", "groupOwners g1/u2");
    assertThat(at.apply("groupOwners", 2.0)).containsExactly("groupOwners g1/u2");
    assertThat(at.apply(null, 2.0)).containsExactly("applicationOwners a1/u1", "groupOwners g1/u2");
    assertThat(rows("edges_current")).hasSize(2);
  }

  static ConsumerRecord<byte[], byte[]> edge(
      Topic<io.dirpipe.schemas.EdgeKey, io.dirpipe.schemas.EdgeChange> t,
      long offset,
      MembershipOperation op,
      String kind,
      String from,
      String to,
      int s) {
    io.dirpipe.schemas.entity.Edge e =
        io.dirpipe.schemas.entity.Edge.newBuilder()
            .setKind(kind)
            .setFromId(from)
            .setToId(to)
            .setToType("user")
            .build();
    io.dirpipe.schemas.EdgeChange change =
        io.dirpipe.schemas.EdgeChange.newBuilder()
            .setOp(op)
            .setEdge(e)
            .setTenantId(TENANT)
            .setSource(Envelope.source(TENANT, kind, "run-1", Mode.DELTA, T.plusSeconds(s)))
            .setTs(T.plusSeconds(s))
            .build();
    return record(t, offset, new io.dirpipe.schemas.EdgeKey(TENANT, kind, from, to, ""), change);
  }

  @Test
  void rawObservationsAndRunEventsComeBackAsPublished() throws Exception {
    IcebergSink sink = sink(Set.of("raw"), Collection.USERS);
    Topic<ObjectKey, Observation> raw = topics.raw(Collection.USERS);
    User user =
        User.newBuilder()
            .setId("u1")
            .setDisplayName("Ada")
            .setAccountEnabled(true)
            .setCreatedDateTime(T.minusSeconds(86_400))
            .build();
    Observation seen = observation("u1", ObservationKind.OBSERVED, null, user);
    Observation gone = observation("u2", ObservationKind.REMOVED, RemovedReason.DELETED, null);
    RunEvent completed =
        RunEvent.newBuilder()
            .setType(RunEventType.COMPLETED)
            .setRunId("run-1")
            .setTenantId(TENANT)
            .setCollection("users")
            .setMode(Mode.DELTA)
            .setAt(T.plusSeconds(5))
            .setStartedAt(T)
            .setRecords(1)
            .setRemoved(1)
            .setPages(1)
            .setRequests(2)
            .setThrottled(0)
            .setResourceUnits(2)
            .setDigest("abc")
            .setError(null)
            .build();
    sink.accept(
        new ConsumerRecords<>(
            Map.of(
                new TopicPartition(raw.name(), 0),
                List.of(record(raw, 0, new ObjectKey(TENANT, "u1"), seen)),
                new TopicPartition(raw.name(), 1),
                List.of(record(raw, 0, new ObjectKey(TENANT, "u2"), gone)),
                new TopicPartition(topics.runs().name(), 0),
                List.of(record(topics.runs(), 0, "run-1", completed))),
            Map.of()));
    sink.flush(List.of());

    var catalog = LakeCatalog.embedded(lake);
    List<Observation> observations = new ArrayList<>();
    LakeRecords.observations(catalog, Collection.USERS, observations::add);
    assertThat(observations).containsExactlyInAnyOrder(seen, gone);
    List<RunEvent> runs = new ArrayList<>();
    LakeRecords.runEvents(catalog, runs::add);
    assertThat(runs).containsExactly(completed);
  }

  @Test
  void anExistingTableGainsTheColumnsTheContractGained() throws Exception {
    // the table as an older contract made it: User without jobTitle
    org.apache.avro.Schema older =
        org.apache.avro.Schema.createRecord(
            "User",
            null,
            "io.dirpipe.schemas.entity",
            false,
            User.getClassSchema().getFields().stream()
                .filter(f -> !f.name().equals("jobTitle"))
                .map(f -> new org.apache.avro.Schema.Field(f, f.schema()))
                .toList());
    var catalog = LakeCatalog.embedded(lake);
    ((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
        .createNamespace(IcebergSink.NAMESPACE);
    org.apache.iceberg.Schema old = HistorySchema.of(older);
    catalog.createTable(
        TableIdentifier.of(IcebergSink.NAMESPACE, "users_history"),
        old,
        HistorySchema.spec(old),
        Map.of("format-version", "2"));
    assertThat(old.findField("jobTitle")).isNull();

    IcebergSink sink = sink(Set.of("changes"), Collection.USERS);
    var table = catalog.loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, "users_history"));
    assertThat(table.schema().findField("jobTitle")).as("the column added").isNotNull();
    Topic<ObjectKey, io.dirpipe.schemas.Change> changes = topics.changes(Collection.USERS);
    User user = User.newBuilder().setId("u1").setJobTitle("Engineer").build();
    sink.accept(
        new ConsumerRecords<>(
            Map.of(
                new TopicPartition(changes.name(), 0),
                List.of(
                    record(
                        changes,
                        0,
                        new ObjectKey(TENANT, "u1"),
                        Envelope.change(
                            io.dirpipe.schemas.Operation.CREATE,
                            null,
                            user,
                            List.of(),
                            null,
                            Envelope.source(TENANT, "users", "run-1", Mode.FULL, T),
                            T)))),
            Map.of()));
    sink.flush(List.of());
    assertThat(rows("users_history"))
        .extracting(r -> r.getField("jobTitle"))
        .containsExactly("Engineer");
  }

  Observation observation(String id, ObservationKind kind, RemovedReason reason, User payload) {
    return Observation.newBuilder()
        .setTenantId(TENANT)
        .setCollection("users")
        .setObjectId(id)
        .setRunId("run-1")
        .setMode(Mode.DELTA)
        .setPage(1)
        .setObservedAt(T)
        .setKind(kind)
        .setRemovedReason(reason)
        .setPayload(payload)
        .setRunStartedAt(T.minusSeconds(1))
        .setSnapshot(false)
        .build();
  }

  static MembershipKey key(String group, String member) {
    return new MembershipKey(TENANT, group, member);
  }

  static MembershipChange member(MembershipOperation op, String group, String member, int s) {
    return MembershipChange.newBuilder()
        .setOp(op)
        .setTenantId(TENANT)
        .setGroupId(group)
        .setMemberId(member)
        .setMemberType("user")
        .setSource(Envelope.source(TENANT, "groupMembers", "run-1", Mode.DELTA, T.plusSeconds(s)))
        .setTs(T.plusSeconds(s))
        .build();
  }

  static <K, V> ConsumerRecord<byte[], byte[]> record(Topic<K, V> t, long offset, K key, V value) {
    return new ConsumerRecord<>(
        t.name(),
        0,
        offset,
        t.keySerde().serializer().serialize(t.name(), key),
        t.valueSerde().serializer().serialize(t.name(), value));
  }

  IcebergSink sink(Set<String> datasets, Collection<?> collection) {
    return TestSinks.of(
        LakeCatalog.embedded(lake), topics, List.of(collection), datasets, stats, time);
  }

  List<Record> rows(String table) throws Exception {
    var t = LakeCatalog.embedded(lake).loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, table));
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(out::add);
    }
    return out;
  }
}
