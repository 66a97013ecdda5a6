package io.dirpipe.sink.loganalytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Rows carry exactly the columns the published tables declare (deploy/loganalytics.bicep). */
class LogRowsTest {
  static final Instant T = Instant.parse("2026-11-24T08:00:00Z");
  final Topics topics = new Topics();
  final LogRows rows =
      new LogRows(
          topics,
          new SinkConfig(
              Map.of(
                  SinkConfig.SINK_COLLECTIONS,
                  io.dirpipe.schemas.Collection.defaultNames()
                      + ",appRoleAssignments,directoryAudits")));

  @Test
  void aRecordTheRegistryCannotBeAskedAboutIsAnOutageNotAnUndeliverableRecord() {
    var registry =
        new io.dirpipe.schemas.wire.RegistryClient(
            "http://127.0.0.1:1", null, java.time.Duration.ofSeconds(2)); // refuses connections
    LogRows withRegistry =
        new LogRows(
            new Topics(
                Topics.DEFAULT_PREFIX,
                new io.dirpipe.schemas.wire.Formats(
                    Map.of(
                        io.dirpipe.schemas.wire.Formats.TopicClass.CHANGES,
                        io.dirpipe.schemas.wire.ValueFormat.AVRO),
                    registry)),
            new SinkConfig(Map.of(SinkConfig.SINK_COLLECTIONS, "users")));
    byte[] confluent = {0, 0, 0, 0, 7, 2, 4, 6};
    var record =
        new org.apache.kafka.clients.consumer.ConsumerRecord<>(
            topics.changes(io.dirpipe.schemas.Collection.USERS).name(),
            0,
            0L,
            confluent,
            confluent);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> withRegistry.of(record))
        .isInstanceOf(io.dirpipe.schemas.wire.RegistryClient.RegistryException.class)
        .hasMessageContaining("127.0.0.1:1");
  }

  @Test
  void aChangeRowHasTheChangesTableColumns() throws Exception {
    User before = User.newBuilder().setId("u1").setDisplayName("Ann").build();
    User after = User.newBuilder(before).setDepartment("Ops").build();
    JsonNode row =
        render(
            topics.changes(Collection.USERS),
            new ObjectKey("t1", "u1"),
            Envelope.change(
                Operation.UPDATE,
                before,
                after,
                List.of("department"),
                null,
                Envelope.source("t1", "users", "run-1", Mode.DELTA, T),
                T));
    assertThat(fields(row)).containsExactlyElementsOf(columns("DirpipeChanges_CL"));
    assertThat(row.path("After").path("department").asText()).isEqualTo("Ops");
    assertThat(row.path("Before").path("department").isNull()).isTrue();
    assertThat(row.path("ChangedFields").get(0).asText()).isEqualTo("department");
    assertThat(row.path("EventId").asText()).isEqualTo("dirpipe.changes.users/2/42");
  }

  @Test
  void membershipAndRunRowsHaveTheirTablesColumns() throws Exception {
    JsonNode membership =
        render(
            topics.memberships(),
            new MembershipKey("t1", "g1", "u1"),
            new MembershipChange(
                MembershipOperation.ADD,
                "t1",
                "g1",
                "u1",
                "user",
                Envelope.source("t1", "groupMembers", "run-2", Mode.FULL, T),
                T));
    assertThat(fields(membership)).containsExactlyElementsOf(columns("DirpipeMemberships_CL"));
    JsonNode edge =
        render(
            topics.edgeChanges(),
            new io.dirpipe.schemas.EdgeKey("t1", "appRoleAssignments", "sp1", "sp2", "r1"),
            new io.dirpipe.schemas.EdgeChange(
                MembershipOperation.REMOVE,
                new io.dirpipe.schemas.entity.Edge(
                    "appRoleAssignments",
                    "sp1",
                    "sp2",
                    "servicePrincipal",
                    java.util.Map.of("appRoleId", "r1", "principalType", "ServicePrincipal"),
                    "r1"),
                "t1",
                Envelope.source("t1", "appRoleAssignments", "run-4", Mode.FULL, T),
                T));
    assertThat(fields(edge)).containsExactlyElementsOf(columns("DirpipeEdges_CL"));
    assertThat(edge.path("Qualifier").asText()).isEqualTo("r1");
    assertThat(edge.path("Attributes").path("principalType").asText())
        .isEqualTo("ServicePrincipal");
    assertThat(edge.path("Operation").asText()).isEqualTo("REMOVE");
    io.dirpipe.schemas.entity.DirectoryAudit audit =
        io.dirpipe.schemas.entity.DirectoryAudit.newBuilder()
            .setId("Directory_1")
            .setActivityDateTime(T)
            .setActivityDisplayName("Add member to group")
            .build();
    JsonNode event =
        render(
            topics.raw(io.dirpipe.schemas.Collection.DIRECTORY_AUDITS),
            new ObjectKey("t1", "Directory_1"),
            io.dirpipe.schemas.Observation.newBuilder()
                .setTenantId("t1")
                .setCollection("directoryAudits")
                .setObjectId("Directory_1")
                .setRunId("run-5")
                .setMode(Mode.DELTA)
                .setPage(1)
                .setObservedAt(T)
                .setKind(io.dirpipe.schemas.ObservationKind.OBSERVED)
                .setPayload(audit)
                .build());
    assertThat(fields(event)).containsExactlyElementsOf(columns("DirpipeEvents_CL"));
    assertThat(event.path("Event").path("activityDisplayName").asText())
        .isEqualTo("Add member to group");
    assertThat(event.path("TimeGenerated").asText()).isEqualTo(T.toString());
    JsonNode run =
        render(
            topics.runs(),
            "run-3",
            new RunEvent(
                RunEventType.COMPLETED,
                "run-3",
                "t1",
                "users",
                Mode.FULL,
                T,
                T,
                10L,
                0L,
                1,
                2L,
                0L,
                2L,
                "ab",
                null));
    assertThat(fields(run)).containsExactlyElementsOf(columns("DirpipeRuns_CL"));
  }

  @Test
  void aRecordThatCannotBeDecodedIsUndeliverable() {
    ConsumerRecord<byte[], byte[]> garbage =
        new ConsumerRecord<>("dirpipe.changes.users", 0, 7, new byte[] {1}, new byte[] {1, 2});
    assertThatThrownBy(() -> rows.of(garbage))
        .isInstanceOf(LogRows.Undeliverable.class)
        .hasMessageContaining("dirpipe.changes.users partition 0 offset 7");
  }

  private <K, V> JsonNode render(Topic<K, V> t, K key, V value) throws Exception {
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>(
            t.name(),
            2,
            42,
            t.keySerde().serializer().serialize(t.name(), key),
            t.valueSerde().serializer().serialize(t.name(), value));
    return new ObjectMapper().readTree(rows.of(r).json());
  }

  private static List<String> fields(JsonNode row) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** The columns the Bicep file declares for a table, in order. */
  private static List<String> columns(String table) throws Exception {
    String bicep = Files.readString(Path.of("..", "deploy", "loganalytics.bicep"));
    Matcher block =
        Pattern.compile("name: '" + table + "'\\s+columns: \\[(.*?)\\]", Pattern.DOTALL)
            .matcher(bicep);
    assertThat(block.find()).as(table + " in deploy/loganalytics.bicep").isTrue();
    Map<String, String> columns = new LinkedHashMap<>();
    Matcher col = Pattern.compile("name: '(\\w+)', type: '(\\w+)'").matcher(block.group(1));
    while (col.find()) {
      columns.put(col.group(1), col.group(2));
    }
    return List.copyOf(columns.keySet());
  }
}
