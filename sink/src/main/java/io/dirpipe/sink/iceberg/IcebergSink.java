package io.dirpipe.sink.iceberg;

import io.dirpipe.core.Time;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.wire.RegistryClient;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The change events of object collections into two Iceberg tables each: {@code
 * <collection>_history} (one row per change) and {@code <collection>_current} (the live inventory,
 * by upserts and deletes). Rows are buffered and committed once per interval, one commit per table,
 * each recording the offsets it covers; only then are those offsets handed back for the group to
 * commit. A partition newly assigned is positioned at the lowest offset its tables recorded, so the
 * tables, not the consumer group, say where to resume; a record below a table's offset (already in
 * it) is skipped for that table.
 */
public final class IcebergSink implements SinkRunner.Delivery {
  public static final Namespace NAMESPACE = Namespace.of("dirpipe");

  private final Catalog catalog;
  private final String group;
  private final Duration interval;
  private final Time time;
  private final DeadLetters deadLetters;
  private final SinkStats stats;
  private final Map<String, List<Target>> byTopic = new LinkedHashMap<>();
  private long lastCommit;

  /** One table and what is buffered for it. */
  private static final class Target {
    final Topic<ObjectKey, Change> topic;
    final Table table;
    final boolean current;
    final List<Record> rows = new ArrayList<>();

    /** Current tables: the last change of each key in this interval, in arrival order. */
    final Map<ObjectKey, Record> latest = new LinkedHashMap<>();

    /** History tables: the open version (valid_to null) of every object, committed or not. */
    final Map<ObjectKey, Record> open = new HashMap<>();

    /** History tables: committed versions this interval closes (rewritten with valid_to). */
    final List<Record> closed = new ArrayList<>();

    /** History tables: objects whose open version is one of this interval's rows. */
    final java.util.Set<ObjectKey> openedNow = new java.util.HashSet<>();

    final Map<TopicPartition, Long> next = new HashMap<>();
    final Map<TopicPartition, Long> committed = new HashMap<>();

    Target(Topic<ObjectKey, Change> topic, Table table, boolean current) {
      this.topic = topic;
      this.table = table;
      this.current = current;
    }

    void add(ObjectKey key, Change change, int partition, long offset) {
      Record row = HistoryRows.of(table.schema(), key, change, partition, offset);
      if (!current) {
        Record previous = open.put(key, row);
        if (previous != null) {
          Object until = row.getField("valid_from");
          if (openedNow.contains(key)) {
            previous.setField("valid_to", until); // not committed yet: closed in place
          } else {
            Record closedRow = previous.copy(); // committed: deleted, then written closed
            closedRow.setField("valid_to", until);
            closed.add(closedRow);
          }
        }
        rows.add(row);
        openedNow.add(key);
      } else {
        latest.remove(key); // re-inserted last: the order of the latest changes
        latest.put(key, change.getAfter() == null ? null : row);
      }
    }

    void commit(String group) {
      if (!current) {
        org.apache.iceberg.Schema versionKey = HistorySchema.versionKey(table.schema());
        List<Record> deletes = new ArrayList<>();
        List<Record> written = new ArrayList<>(rows);
        for (Record version : closed) {
          org.apache.iceberg.data.GenericRecord k =
              org.apache.iceberg.data.GenericRecord.create(versionKey);
          versionKey.columns().forEach(f -> k.setField(f.name(), version.getField(f.name())));
          deletes.add(k);
          written.add(version);
        }
        TableCommits.rowDelta(table, group, written, deletes, versionKey, next);
        return;
      }
      List<Record> keys = new ArrayList<>();
      List<Record> upserts = new ArrayList<>();
      org.apache.iceberg.Schema keySchema = CurrentSchema.key(table.schema());
      latest.forEach(
          (k, row) -> {
            keys.add(HistoryRows.key(keySchema, k));
            if (row != null) {
              upserts.add(row);
            }
          });
      TableCommits.upsert(table, group, upserts, keys, next);
    }

    /** The versions still open in the table: what a next change of their object closes. */
    void loadOpenVersions() {
      try (var rows =
          org.apache.iceberg.data.IcebergGenerics.read(table)
              .where(org.apache.iceberg.expressions.Expressions.isNull("valid_to"))
              .build()) {
        for (Record r : rows) {
          open.put(
              new ObjectKey((String) r.getField("tenant_id"), (String) r.getField("id")), r.copy());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("Cannot read " + table.name(), e);
      }
    }

    int buffered() {
      return current ? latest.size() : rows.size();
    }

    void clear() {
      openedNow.clear();
      closed.clear();
      rows.clear();
      latest.clear();
      next.clear();
    }
  }

  public IcebergSink(
      Catalog catalog,
      Topics topics,
      List<Collection<?>> collections,
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
      if (c.isObjectCollection()) {
        Topic<ObjectKey, Change> topic = topics.changes(c);
        Table history = table(c.name() + "_history", HistorySchema.of(c.entitySchema()), false);
        Table current = table(c.name() + "_current", CurrentSchema.of(history.schema()), true);
        List<Target> targets =
            List.of(new Target(topic, history, false), new Target(topic, current, true));
        targets.forEach(t -> t.committed.putAll(TableCommits.offsets(t.table, group)));
        targets.get(0).loadOpenVersions();
        byTopic.put(topic.name(), targets);
      }
    }
    this.lastCommit = time.nanoTime();
  }

  /** The topics this sink reads. */
  public List<Topic<?, ?>> topics() {
    return byTopic.values().stream().<Topic<?, ?>>map(t -> t.get(0).topic).toList();
  }

  /** A table, created with these columns when missing. */
  private Table table(String name, org.apache.iceberg.Schema schema, boolean current) {
    TableIdentifier id = TableIdentifier.of(NAMESPACE, name);
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
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
      return catalog.createTable(
          id,
          schema,
          current ? CurrentSchema.spec(schema) : HistorySchema.spec(schema),
          Map.of("format-version", "2"));
    } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
      return catalog.loadTable(id);
    }
  }

  @Override
  public void assigned(
      Consumer<byte[], byte[]> consumer, java.util.Collection<TopicPartition> parts) {
    for (TopicPartition p : parts) {
      List<Target> targets = byTopic.get(p.topic());
      if (targets != null) {
        // the tables' word, whatever the group committed: from where the least advanced one is
        consumer.seek(
            p, targets.stream().mapToLong(t -> t.committed.getOrDefault(p, 0L)).min().orElse(0));
      }
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      List<Target> targets = byTopic.get(r.topic());
      TopicPartition p = new TopicPartition(r.topic(), r.partition());
      List<Target> behind =
          targets.stream().filter(t -> r.offset() >= t.committed.getOrDefault(p, 0L)).toList();
      if (behind.isEmpty()) {
        continue; // already in every table
      }
      behind.forEach(t -> t.next.put(p, r.offset() + 1));
      if (r.value() == null) {
        continue;
      }
      Topic<ObjectKey, Change> topic = behind.get(0).topic;
      try {
        ObjectKey key = topic.keySerde().deserializer().deserialize(r.topic(), r.key());
        Change change = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
        for (Target t : behind) {
          t.add(key, change, r.partition(), r.offset());
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
    for (List<Target> targets : byTopic.values()) {
      java.util.Set<TopicPartition> touched = new java.util.HashSet<>();
      for (Target t : targets) {
        if (!t.next.isEmpty()) {
          touched.addAll(t.next.keySet());
          t.commit(group);
          stats.rows.add(t.buffered());
          t.committed.putAll(t.next);
          t.clear();
        }
      }
      touched.forEach(
          p ->
              safe.put(
                  p,
                  new OffsetAndMetadata(
                      targets.stream()
                          .mapToLong(t -> t.committed.getOrDefault(p, 0L))
                          .min()
                          .orElse(0))));
    }
    lastCommit = time.nanoTime();
    return safe;
  }
}
