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
 * The change events of object collections into their {@code <collection>_history} Iceberg tables:
 * rows are buffered and committed once per interval, one commit per table, each recording the
 * offsets it covers; only then are those offsets handed back for the group to commit. A partition
 * newly assigned is positioned at the offset its table recorded, so the table, not the consumer
 * group, says where to resume; a record below it (already in the table) is skipped.
 */
public final class IcebergSink implements SinkRunner.Delivery {
  public static final Namespace NAMESPACE = Namespace.of("dirpipe");

  private final Catalog catalog;
  private final String group;
  private final Duration interval;
  private final Time time;
  private final DeadLetters deadLetters;
  private final SinkStats stats;
  private final Map<String, Target> byTopic = new LinkedHashMap<>();
  private long lastCommit;

  /** One table and what is buffered for it. */
  private static final class Target {
    final Topic<ObjectKey, Change> topic;
    final Table table;
    final List<Record> rows = new ArrayList<>();
    final Map<TopicPartition, Long> next = new HashMap<>();
    final Map<TopicPartition, Long> committed = new HashMap<>();

    Target(Topic<ObjectKey, Change> topic, Table table) {
      this.topic = topic;
      this.table = table;
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
        Target t = new Target(topic, historyTable(c));
        t.committed.putAll(TableCommits.offsets(t.table, group));
        byTopic.put(topic.name(), t);
      }
    }
    this.lastCommit = time.nanoTime();
  }

  /** The topics this sink reads. */
  public List<String> topicNames() {
    return List.copyOf(byTopic.keySet());
  }

  /** {@code <collection>_history}, created with the contract's columns when missing. */
  private Table historyTable(Collection<?> c) {
    TableIdentifier id = TableIdentifier.of(NAMESPACE, c.name() + "_history");
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
    }
    org.apache.iceberg.Schema schema = HistorySchema.of(c.entitySchema());
    if (catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces ns
        && !ns.namespaceExists(NAMESPACE)) {
      try {
        ns.createNamespace(NAMESPACE);
      } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
        // another sink created it
      }
    }
    try {
      return catalog.createTable(id, schema, HistorySchema.spec(schema));
    } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
      return catalog.loadTable(id);
    }
  }

  @Override
  public void assigned(
      Consumer<byte[], byte[]> consumer, java.util.Collection<TopicPartition> parts) {
    for (TopicPartition p : parts) {
      Target t = byTopic.get(p.topic());
      Long at = t == null ? null : t.committed.get(p);
      if (at != null) {
        consumer.seek(p, at); // the table's word, whatever the group committed
      }
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Target t = byTopic.get(r.topic());
      TopicPartition p = new TopicPartition(r.topic(), r.partition());
      if (r.offset() < t.committed.getOrDefault(p, 0L)) {
        continue; // already in the table
      }
      t.next.put(p, r.offset() + 1);
      if (r.value() == null) {
        continue;
      }
      try {
        ObjectKey key = t.topic.keySerde().deserializer().deserialize(r.topic(), r.key());
        Change change = t.topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
        t.rows.add(HistoryRows.of(t.table.schema(), key, change, r.partition(), r.offset()));
      } catch (RegistryClient.RegistryException e) {
        throw e; // an outage to wait out, not a bad record
      } catch (RuntimeException e) {
        deadLetters.send(r, "cannot write the record to " + t.table.name() + ": " + e.getMessage());
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

  /** One commit per table holding rows or new offsets; the offsets now safe for the group. */
  private Map<TopicPartition, OffsetAndMetadata> commitAll() {
    Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
    for (Target t : byTopic.values()) {
      if (t.next.isEmpty()) {
        continue;
      }
      TableCommits.append(t.table, group, t.rows, t.next);
      stats.rows.add(t.rows.size());
      t.committed.putAll(t.next);
      t.next.forEach((p, o) -> safe.put(p, new OffsetAndMetadata(o)));
      t.rows.clear();
      t.next.clear();
    }
    lastCommit = time.nanoTime();
    return safe;
  }
}
