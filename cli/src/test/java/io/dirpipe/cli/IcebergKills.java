package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.core.Failpoints;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.iceberg.IcebergSink;
import io.dirpipe.sink.iceberg.LakeCatalog;
import io.dirpipe.sink.iceberg.LakeRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;

/**
 * {@code dirpipe sink lake} with {@code lake.format=iceberg} killed with {@code kill -9} five
 * times, each at a moment it was seen to reach: data files written but not committed, one table of
 * a pair committed and not the other, every table committed but not the group's offsets (three
 * failpoints, {@link Failpoints}), and right after a commit seen in the catalog; and what must hold
 * once a sink has run to the end: every change event in its history table once, every observation
 * in its raw table once, {@code users_current} equal to the inventory topic. Used by {@code
 * IcebergLakeIT}.
 */
final class IcebergKills {
  static final String[] KILLS = {
    "lake.files-written@2",
    "lake.table-committed@1",
    "lake.tables-committed@2",
    null, // a commit seen in the catalog
    "lake.table-committed@3",
  };

  private IcebergKills() {}

  /** The packaged sink started five times with {@code env}, each killed at its moment. */
  static void killFiveTimes(Path dir, Map<String, String> env, String prefix) throws Exception {
    Path lake = Path.of(env.get("DIRPIPE_LAKE_ROOT"));
    Map<String, String> sink = new HashMap<>();
    env.forEach(
        (k, v) -> {
          if (k.startsWith("DIRPIPE_KAFKA_")
              || k.startsWith("DIRPIPE_TOPICS_")
              || k.startsWith("DIRPIPE_LAKE_")
              || k.startsWith("DIRPIPE_SINK_")) {
            sink.put(k, v);
          }
        });
    sink.put("DIRPIPE_KAFKA_MAX_POLL_RECORDS", "50"); // many commits: moments to kill at
    for (int k = 0; k < KILLS.length; k++) {
      int kill = k;
      Map<String, String> child = new HashMap<>(sink);
      if (KILLS[kill] != null) {
        child.put("JAVA_TOOL_OPTIONS", "-D" + Failpoints.PROPERTY + "=" + KILLS[kill]);
      }
      Path log = dir.resolve("sink-" + kill + ".log");
      long snapshotsBefore = snapshots(lake);
      Process p =
          PackagedDirpipe.command(child, "sink", "lake", "--until-idle", "30s")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      String moment =
          KILLS[kill] == null
              ? "a new snapshot of a table in the catalog"
              : "failpoint " + KILLS[kill].replaceAll("@.*", "") + " reached";
      await("sink " + kill + ": " + moment + " (log " + log + ")")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new AssertionError(
                      "sink " + kill + " ended before " + moment + ":\n" + Files.readString(log));
                }
                return KILLS[kill] == null
                    ? snapshots(lake) > snapshotsBefore
                    : Files.readString(log).contains(moment);
              });
      p.destroyForcibly(); // kill -9
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("sink %d ended after kill -9", kill).isTrue();
    }
  }

  /**
   * Every change event, observation and run event once in its table (by partition and offset), and
   * {@code users_current} equal to the inventory topic ({@code users} objects).
   */
  static void assertEveryRecordOnce(Path lake, TestKafka broker, String prefix, int users)
      throws Exception {
    Catalog catalog = LakeCatalog.embedded(lake);
    Topics topics = new Topics(prefix);
    KafkaClients kafka = KafkaClients.of(Map.of("bootstrap.servers", broker.bootstrapServers()));
    for (Collection<?> c : new Collection<?>[] {Collection.USERS, Collection.GROUPS}) {
      assertOnce(catalog, c.name() + "_history", kafka, topics.changes(c));
    }
    assertOnce(catalog, "memberships_history", kafka, topics.memberships());
    for (Collection<?> c :
        new Collection<?>[] {Collection.USERS, Collection.GROUPS, Collection.GROUP_MEMBERS}) {
      assertOnce(catalog, c.name() + "_raw", kafka, topics.raw(c));
    }
    assertOnce(catalog, "runs", kafka, topics.runs());

    Map<ObjectKey, User> inventory = new TreeMap<>();
    TopicReader.readAll(
        kafka,
        topics.inventory(Collection.USERS),
        r -> {
          if (r.value() == null) {
            inventory.remove(r.key());
          } else {
            inventory.put(r.key(), r.value());
          }
        });
    assertThat(inventory).hasSize(users);
    assertThat(LakeRecords.current(catalog, Collection.USERS))
        .as("users_current = the inventory topic")
        .isEqualTo(inventory);
  }

  /** Every record of {@code topic} once in {@code table}, by (partition, offset). */
  static void assertOnce(Catalog catalog, String table, KafkaClients kafka, Topic<?, ?> topic)
      throws Exception {
    Map<String, Integer> inTopic = new HashMap<>();
    TopicReader.readAll(
        kafka,
        topic,
        r -> {
          if (r.value() != null) {
            inTopic.put(r.partition() + "/" + r.offset(), 1);
          }
        });
    Map<String, Integer> inTable = new HashMap<>();
    try (var rows =
        IcebergGenerics.read(catalog.loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, table)))
            .build()) {
      for (Record r : rows) {
        inTable.merge(
            r.getField("kafka_partition") + "/" + r.getField("kafka_offset"), 1, Integer::sum);
      }
    }
    assertThat(inTopic).as("records of " + topic.name()).isNotEmpty();
    assertThat(inTable).as(table + ": each record of " + topic.name() + " once").isEqualTo(inTopic);
  }

  /** Snapshots of the lake's tables so far (0 before the catalog exists). */
  static long snapshots(Path lake) {
    if (!Files.exists(lake.resolve("catalog.db"))) {
      return 0;
    }
    Catalog catalog = LakeCatalog.embedded(lake);
    try (java.io.Closeable closing = (java.io.Closeable) catalog) {
      long n = 0;
      if (!((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
          .namespaceExists(IcebergSink.NAMESPACE)) {
        return 0;
      }
      for (TableIdentifier id : catalog.listTables(IcebergSink.NAMESPACE)) {
        n +=
            org.apache.iceberg.relocated.com.google.common.collect.Iterables.size(
                catalog.loadTable(id).snapshots());
      }
      return n;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
