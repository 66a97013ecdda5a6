package io.dirpipe.sink.iceberg;

import io.dirpipe.core.Failpoints;
import io.dirpipe.core.Time;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.wire.RegistryClient;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The lake as Iceberg tables. Per object collection {@code <collection>_history} (one row per
 * change, SCD type 2) and {@code <collection>_current} (the live inventory, by upserts and
 * deletes); the same pair for {@code memberships} and {@code edges}; {@code <collection>_raw}
 * (every observation) and {@code runs} (every run event). Rows are buffered and committed once per
 * interval, one commit per table, each recording the offsets it covers; only then are those offsets
 * handed back for the group to commit. A partition newly assigned is positioned at the lowest
 * offset its tables recorded, so the tables, not the consumer group, say where to resume; a record
 * below a table's offset (already in it) is skipped for that table.
 */
public final class IcebergSink implements SinkRunner.Delivery {
  public static final Namespace NAMESPACE = Namespace.of("dirpipe");
  static final List<String> OBJECT = List.of("tenant_id", "id");
  static final List<String> MEMBERSHIP = List.of("tenant_id", "groupId", "memberId");
  static final List<String> EDGE = List.of("tenant_id", "kind", "fromId", "toId", "qualifier");

  private final Catalog catalog;
  private final String group;
  private final Duration interval;
  private final Time time;
  private final DeadLetters deadLetters;
  private final SinkStats stats;
  private final Map<String, Binding> byTopic = new LinkedHashMap<>();
  private long lastCommit;

  /**
   * A topic, how its records become rows, and the tables they go to (the first: the rows' shape).
   */
  private record Binding(Feed<?, ?> feed, List<LakeTable> tables) {}

  /**
   * @param datasets what to write: {@code changes} (history and current tables of the object
   *     collections), {@code memberships}, {@code edges}, {@code raw} (raw tables and runs)
   */
  public IcebergSink(
      Catalog catalog,
      Topics topics,
      List<Collection<?>> collections,
      java.util.Set<String> datasets,
      String group,
      Duration interval,
      DeadLetters deadLetters,
      SinkStats stats,
      Time time) {
    this.catalog = catalog;
    this.group = group;
    this.interval = interval;
    this.time = time;
    this.deadLetters = deadLetters;
    this.stats = stats;
    for (Collection<?> c : collections) {
      if (datasets.contains("changes") && c.isObjectCollection()) {
        versioned(Feed.objectChanges(topics.changes(c)), c.name(), c.entitySchema(), OBJECT);
      }
    }
    if (datasets.contains("memberships") && collections.contains(Collection.GROUP_MEMBERS)) {
      versioned(Feed.memberships(topics.memberships()), "memberships", Member.SCHEMA$, MEMBERSHIP);
    }
    if (datasets.contains("edges") && collections.stream().anyMatch(Collection::isEdgeCollection)) {
      versioned(Feed.edges(topics.edgeChanges()), "edges", Edge.SCHEMA$, EDGE);
    }
    if (datasets.contains("raw")) {
      for (Collection<?> c : collections) {
        Table raw = table(c.name() + "_raw", RawSchema.of(c.entitySchema()), RawSchema::spec);
        bind(Feed.raw(topics.raw(c)), new LakeTable.Append(raw, group));
      }
      Table runs = table("runs", RunsSchema.of(), RunsSchema::spec);
      bind(Feed.runs(topics.runs()), new LakeTable.Append(runs, group));
    }
    this.lastCommit = time.nanoTime();
  }

  /** {@code <name>_history} and {@code <name>_current} fed by one change topic. */
  private void versioned(
      Feed<?, ?> feed, String name, org.apache.avro.Schema entity, List<String> identity) {
    Table history = table(name + "_history", HistorySchema.of(entity), HistorySchema::spec);
    Table current =
        table(name + "_current", CurrentSchema.of(history.schema(), identity), CurrentSchema::spec);
    bind(
        feed,
        new HistoryTable(history, group, identity),
        new CurrentTable(current, group, identity));
  }

  private void bind(Feed<?, ?> feed, LakeTable... tables) {
    byTopic.put(feed.topic.name(), new Binding(feed, List.of(tables)));
  }

  /** The topics this sink reads. */
  public List<Topic<?, ?>> topics() {
    return byTopic.values().stream().<Topic<?, ?>>map(b -> b.feed().topic).toList();
  }

  /**
   * A table, created with these columns when missing; an existing one gains the columns it lacks
   * (the contract gained fields: Iceberg's schema evolution, by name).
   */
  private Table table(
      String name,
      org.apache.iceberg.Schema schema,
      java.util.function.Function<org.apache.iceberg.Schema, PartitionSpec> spec) {
    TableIdentifier id = TableIdentifier.of(NAMESPACE, name);
    if (catalog.tableExists(id)) {
      Table table = catalog.loadTable(id);
      if (!covers(table.schema(), schema)) {
        table.updateSchema().unionByNameWith(schema).commit();
        table.refresh();
      }
      return table;
    }
    if (catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces ns
        && !ns.namespaceExists(NAMESPACE)) {
      try {
        ns.createNamespace(NAMESPACE);
      } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
        // another sink created it
      }
    }
    try {
      return catalog.createTable(id, schema, spec.apply(schema), Map.of("format-version", "2"));
    } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
      return catalog.loadTable(id);
    }
  }

  /** Whether {@code table} has every column of {@code wanted}, by name, nested ones included. */
  private static boolean covers(org.apache.iceberg.Schema table, org.apache.iceberg.Schema wanted) {
    return org.apache.iceberg.types.TypeUtil.indexByName(table.asStruct())
        .keySet()
        .containsAll(org.apache.iceberg.types.TypeUtil.indexByName(wanted.asStruct()).keySet());
  }

  @Override
  public void assigned(
      Consumer<byte[], byte[]> consumer, java.util.Collection<TopicPartition> parts) {
    for (TopicPartition p : parts) {
      Binding b = byTopic.get(p.topic());
      if (b != null) {
        // the tables' word, whatever the group committed: from where the least advanced one is
        consumer.seek(p, lowest(b, p));
      }
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Binding b = byTopic.get(r.topic());
      TopicPartition p = new TopicPartition(r.topic(), r.partition());
      List<LakeTable> behind =
          b.tables().stream().filter(t -> r.offset() >= t.committed.getOrDefault(p, 0L)).toList();
      if (behind.isEmpty()) {
        continue; // already in every table
      }
      behind.forEach(t -> t.next.put(p, r.offset() + 1));
      try {
        Feed.Decoded row = b.feed().decode(r, b.tables().get(0).table.schema());
        if (row != null) {
          behind.forEach(t -> t.add(row.row(), row.deleted()));
        }
      } catch (RegistryClient.RegistryException e) {
        throw e; // an outage to wait out, not a bad record
      } catch (RuntimeException e) {
        deadLetters.send(r, "cannot write the record to the lake's tables: " + e.getMessage());
      }
    }
    return Map.of();
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> tick() {
    if (time.nanoTime() - lastCommit < interval.toNanos()) {
      return Map.of();
    }
    return commitAll();
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> flush(java.util.Collection<TopicPartition> parts) {
    return commitAll();
  }

  /**
   * One commit per table holding rows or new offsets; the offsets now safe for the group: per
   * partition the lowest its tables committed.
   */
  private Map<TopicPartition, OffsetAndMetadata> commitAll() {
    Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
    for (Binding b : byTopic.values()) {
      java.util.Set<TopicPartition> touched = new java.util.HashSet<>();
      for (LakeTable t : b.tables()) {
        if (!t.next.isEmpty()) {
          touched.addAll(t.next.keySet());
          stats.rows.add(t.buffered());
          t.commit(group);
          Failpoints.reach("lake.table-committed");
        }
      }
      touched.forEach(p -> safe.put(p, new OffsetAndMetadata(lowest(b, p))));
    }
    if (!safe.isEmpty()) {
      Failpoints.reach("lake.tables-committed"); // the group's offsets not yet
    }
    lastCommit = time.nanoTime();
    return safe;
  }

  /** The lowest next offset of a partition among a topic's tables. */
  private static long lowest(Binding b, TopicPartition p) {
    return b.tables().stream().mapToLong(t -> t.committed.getOrDefault(p, 0L)).min().orElse(0);
  }
}
