package io.dirpipe.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.ManualTime;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query cookbook ({@code examples/lake-queries.md}) run as written: a lake the sink writes from
 * four runs of a small story (Ada, Bob and Cy; a group), compacted by {@code lake maintain} (so no
 * delete files are left), then every query of the page, DuckDB's and Spark's text, run by DuckDB
 * over the tables' data files, and each answer checked. DuckDB's {@code iceberg} extension is not
 * installable here (it downloads from DuckDB's own site), so a table is its current snapshot's data
 * files through {@code read_parquet}: only the {@code FROM} clause differs from the page.
 */
class LakeQueriesTest {
  static final Path PAGE = Path.of("..", "examples", "lake-queries.md");
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String GROUP = "0c4d1a7e-5f8b-4b0e-9e0a-3d6f2c1b9a10";
  static final Instant RUN1 = Instant.parse("2026-12-01T10:00:00Z");
  static final Instant RUN2 = Instant.parse("2026-12-02T09:00:00Z");
  static final Instant RUN3 = Instant.parse("2026-12-03T09:00:00Z");
  static final Instant RUN4 = Instant.parse("2026-12-05T09:00:00Z");

  /** What each question of the page must answer on the story, in the page's order. */
  static final List<List<String>> ANSWERS =
      List.of(
          List.of("u-ada|Ada L.", "u-bob|Bob", "u-cy|Cy"),
          List.of(
              "u-ada|u|2026-12-02T09:00Z|[displayName]|run-2",
              "u-cy|c|2026-12-02T09:00Z|[]|run-2",
              "u-bob|d|2026-12-03T09:00Z|[]|run-3"),
          List.of("u-ada|user", "u-bob|user"),
          List.of("u-cy|2026-12-02T09:00Z|2026-12-05T09:00Z"),
          List.of(
              "run-1|users|FULL|2|0|digest-1|2",
              "run-2|users|DELTA|2|0|digest-2|2",
              "run-3|users|DELTA|0|1|digest-3|1",
              "run-4|users|DELTA|0|1|digest-4|1"));

  final Topics topics = new Topics("t.");
  final Map<String, Long> offsets = new HashMap<>();
  @TempDir Path lake;
  Catalog catalog;

  @BeforeEach
  void writeTheStory() throws Exception {
    SinkStats stats = new SinkStats();
    IcebergSink sink =
        TestSinks.of(
            LakeCatalog.embedded(lake),
            topics,
            List.of(Collection.USERS, Collection.GROUP_MEMBERS),
            Set.of("changes", "memberships", "raw"),
            stats,
            new ManualTime());
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    // run 1, FULL: Ada and Bob, both in the group
    batch.add(user("run-1", RUN1, Operation.CREATE, "u-ada", null, "Ada"));
    batch.add(user("run-1", RUN1, Operation.CREATE, "u-bob", null, "Bob"));
    batch.add(member("run-1", RUN1, MembershipOperation.ADD, "u-ada"));
    batch.add(member("run-1", RUN1, MembershipOperation.ADD, "u-bob"));
    batch.add(run("run-1", RUN1, Mode.FULL, 2, 0));
    // run 2: Cy arrives, Ada renamed
    batch.add(user("run-2", RUN2, Operation.CREATE, "u-cy", null, "Cy"));
    batch.add(user("run-2", RUN2, Operation.UPDATE, "u-ada", "Ada", "Ada L."));
    batch.add(run("run-2", RUN2, Mode.DELTA, 2, 0));
    // run 3: Bob deleted and out of the group, Cy in it
    batch.add(user("run-3", RUN3, Operation.DELETE, "u-bob", "Bob", null));
    batch.add(member("run-3", RUN3, MembershipOperation.REMOVE, "u-bob"));
    batch.add(member("run-3", RUN3, MembershipOperation.ADD, "u-cy"));
    batch.add(run("run-3", RUN3, Mode.DELTA, 0, 1));
    // run 4: Cy deleted, three days after arriving
    batch.add(user("run-4", RUN4, Operation.DELETE, "u-cy", "Cy", null));
    batch.add(run("run-4", RUN4, Mode.DELTA, 0, 1));
    for (ConsumerRecord<byte[], byte[]> r : batch) {
      sink.accept(
          new ConsumerRecords<>(Map.of(new TopicPartition(r.topic(), 0), List.of(r)), Map.of()));
      sink.flush(List.of()); // a commit each: small files and delete files to compact
    }
    catalog = LakeCatalog.embedded(lake);
    for (TableIdentifier id : catalog.listTables(IcebergSink.NAMESPACE)) {
      LakeMaintenance.maintain(catalog.loadTable(id), 128L << 20, Long.MAX_VALUE, 1);
    }
  }

  @Test
  void everyQueryOfThePageAnswersAsWritten() throws Exception {
    String page = Files.readString(PAGE);
    List<String> duckdb = blocks(page, "duckdb");
    List<String> spark = blocks(page, "spark");
    assertThat(duckdb).as("DuckDB queries on the page").hasSize(ANSWERS.size());
    assertThat(spark).as("Spark queries on the page").hasSize(ANSWERS.size());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      for (String table : List.of("users_history", "memberships_history", "runs")) {
        st.execute(
            "CREATE VIEW "
                + table
                + " AS SELECT * FROM read_parquet("
                + files(TableIdentifier.of(IcebergSink.NAMESPACE, table))
                + ")");
      }
      for (int q = 0; q < ANSWERS.size(); q++) {
        String fromDuckdb =
            duckdb.get(q).replaceAll("iceberg_scan\\(getvariable\\('(\\w+)'\\)\\)", "$1");
        String fromSpark = spark.get(q).replaceAll("lake\\.dirpipe\\.(\\w+)", "$1");
        assertThat(query(st, fromDuckdb))
            .as("question %d, DuckDB:%n%s", q + 1, fromDuckdb)
            .isEqualTo(ANSWERS.get(q));
        assertThat(query(st, fromSpark))
            .as("question %d, Spark:%n%s", q + 1, fromSpark)
            .isEqualTo(ANSWERS.get(q));
      }
    }
  }

  static List<String> blocks(String page, String engine) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("```sql " + engine + "\\n(.*?)```", Pattern.DOTALL).matcher(page);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static List<String> query(Statement st, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql.strip().replaceAll(";$", ""))) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(rs.getString(i));
        }
        rows.add(String.join("|", cells));
      }
    }
    return rows;
  }

  /** The table's current data files, as a DuckDB list; none of delete files left. */
  String files(TableIdentifier id) throws Exception {
    Table table = catalog.loadTable(id);
    assertThat(LakeMaintenance.files(table)[1]).as("delete files of %s", id).isZero();
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(t -> files.add("'" + t.file().location().replaceFirst("^file:", "") + "'"));
    }
    return "[" + String.join(", ", files) + "]";
  }

  ConsumerRecord<byte[], byte[]> user(
      String run, Instant at, Operation op, String id, String before, String after) {
    Topic<ObjectKey, Change> t = topics.changes(Collection.USERS);
    Change change =
        Envelope.change(
            op,
            before == null ? null : User.newBuilder().setId(id).setDisplayName(before).build(),
            after == null ? null : User.newBuilder().setId(id).setDisplayName(after).build(),
            op == Operation.UPDATE ? List.of("displayName") : List.of(),
            op == Operation.DELETE ? RemovedReason.DELETED : null,
            Envelope.source(TENANT, "users", run, run.equals("run-1") ? Mode.FULL : Mode.DELTA, at),
            at);
    return record(t, new ObjectKey(TENANT, id), change);
  }

  ConsumerRecord<byte[], byte[]> member(
      String run, Instant at, MembershipOperation op, String memberId) {
    MembershipChange change =
        MembershipChange.newBuilder()
            .setOp(op)
            .setTenantId(TENANT)
            .setGroupId(GROUP)
            .setMemberId(memberId)
            .setMemberType("user")
            .setSource(
                Envelope.source(
                    TENANT, "groupMembers", run, run.equals("run-1") ? Mode.FULL : Mode.DELTA, at))
            .setTs(at)
            .build();
    return record(topics.memberships(), new MembershipKey(TENANT, GROUP, memberId), change);
  }

  ConsumerRecord<byte[], byte[]> run(
      String run, Instant at, Mode mode, long records, long removed) {
    RunEvent e =
        RunEvent.newBuilder()
            .setType(RunEventType.COMPLETED)
            .setRunId(run)
            .setTenantId(TENANT)
            .setCollection("users")
            .setMode(mode)
            .setAt(at.plusSeconds(60))
            .setStartedAt(at)
            .setRecords(records)
            .setRemoved(removed)
            .setPages(1)
            .setRequests(1)
            .setThrottled(0)
            .setResourceUnits(1)
            .setDigest("digest-" + run.substring(4))
            .setError(null)
            .build();
    return record(topics.runs(), run, e);
  }

  <K, V> ConsumerRecord<byte[], byte[]> record(Topic<K, V> t, K key, V value) {
    long offset = offsets.merge(t.name(), 1L, Long::sum) - 1;
    return new ConsumerRecord<>(
        t.name(),
        0,
        offset,
        t.keySerde().serializer().serialize(t.name(), key),
        t.valueSerde().serializer().serialize(t.name(), value));
  }
}
