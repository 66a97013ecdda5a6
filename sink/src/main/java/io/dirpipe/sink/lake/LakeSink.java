package io.dirpipe.sink.lake;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.wire.RegistryClient;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw, change and membership topics into Parquet files of the lake. Per partition, records go to
 * one open file per (tenant, day); the partition rolls when its files reach {@code lake.roll-bytes}
 * or {@code lake.roll-interval}, on revocation and at the end: every file is closed and published
 * (atomically), and only then is the partition's offset committed.
 *
 * <p>A crash between publishing and committing leaves files whose first offset is at or after the
 * committed offset. When the partition is assigned again those are deleted before anything is read,
 * and the records are written again: each record is in the lake once.
 */
public final class LakeSink implements SinkRunner.Delivery {
  private static final Logger log = LoggerFactory.getLogger(LakeSink.class);

  private final LakeStore store;
  private final Map<String, LakeRows<?, ?>> rowsByTopic = new LinkedHashMap<>();
  private final Map<TopicPartition, PartitionFiles> open = new HashMap<>();
  private final CompressionCodecName codec;
  private final long rollBytes;
  private final long rollNanos;
  private final DeadLetters deadLetters;
  private final SinkStats stats;
  private final InventorySnapshots snapshots;
  private final Time time;

  public LakeSink(
      SinkConfig config,
      Topics topics,
      LakeStore store,
      KafkaClients kafka,
      DeadLetters deadLetters,
      SinkStats stats,
      Time time) {
    this.store = store;
    this.time = time;
    this.codec =
        CompressionCodecName.valueOf(
            config.getString(SinkConfig.LAKE_COMPRESSION).toUpperCase(java.util.Locale.ROOT));
    this.rollBytes = config.getLong(SinkConfig.LAKE_ROLL_BYTES);
    this.rollNanos =
        io.dirpipe.core.ConfigDurations.get(config, SinkConfig.LAKE_ROLL_INTERVAL).toNanos();
    this.deadLetters = deadLetters;
    this.stats = stats;
    List<String> datasets = config.getList(SinkConfig.LAKE_DATASETS);
    String prefix = topics.prefix();
    for (Collection<?> c : config.collections()) {
      if (datasets.contains("raw")) {
        add(
            new LakeRows<>(
                topics.raw(c),
                dataset(topics.raw(c).name(), prefix),
                io.dirpipe.schemas.ObjectKey.class,
                io.dirpipe.schemas.Observation.class,
                c.entityClass()));
      }
      if (datasets.contains("changes") && c.isObjectCollection()) {
        add(
            new LakeRows<>(
                topics.changes(c),
                dataset(topics.changes(c).name(), prefix),
                io.dirpipe.schemas.ObjectKey.class,
                io.dirpipe.schemas.Change.class,
                c.entityClass()));
      }
    }
    if (datasets.contains("memberships")) {
      add(
          new LakeRows<>(
              topics.memberships(),
              dataset(topics.memberships().name(), prefix),
              io.dirpipe.schemas.MembershipKey.class,
              io.dirpipe.schemas.MembershipChange.class,
              null));
    }
    if (datasets.contains("edges")
        && config.collections().stream().anyMatch(Collection::isEdgeCollection)) {
      add(
          new LakeRows<>(
              topics.edgeChanges(),
              dataset(topics.edgeChanges().name(), prefix),
              io.dirpipe.schemas.EdgeKey.class,
              io.dirpipe.schemas.EdgeChange.class,
              null));
    }
    this.snapshots =
        datasets.contains("inventory")
            ? new InventorySnapshots(
                kafka,
                topics,
                config.collections().stream().filter(Collection::isObjectCollection).toList(),
                store,
                io.dirpipe.core.ConfigDurations.get(config, SinkConfig.LAKE_INVENTORY_INTERVAL)
                    .toMillis(),
                stats,
                time)
            : null;
  }

  private static String dataset(String topic, String prefix) {
    return topic.substring(prefix.length());
  }

  private void add(LakeRows<?, ?> rows) {
    rowsByTopic.put(rows.topic().name(), rows);
  }

  /** The topics this sink reads. */
  public List<io.dirpipe.schemas.Topic<?, ?>> topics() {
    return rowsByTopic.values().stream()
        .<io.dirpipe.schemas.Topic<?, ?>>map(LakeRows::topic)
        .toList();
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      PartitionFiles files = open.computeIfAbsent(tp, PartitionFiles::new);
      LakeRows.Row row;
      String directory;
      try {
        row = rowsByTopic.get(r.topic()).of(r);
        directory =
            LakeFiles.directory(
                files.rows.dataset(), row.tenantId(), Instant.ofEpochMilli(r.timestamp()));
      } catch (RegistryClient.RegistryException e) {
        throw e; // the registry is down or refuses us: an outage to wait out, not a bad record
      } catch (RuntimeException e) {
        deadLetters.send(r, "cannot write the record to the lake: " + e.getMessage());
        files.next = r.offset() + 1;
        continue;
      }
      files.write(directory, row, r);
    }
    return rollDue();
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> tick() {
    if (snapshots != null) {
      snapshots.maybeRun();
    }
    return rollDue();
  }

  private Map<TopicPartition, OffsetAndMetadata> rollDue() {
    List<TopicPartition> due = new ArrayList<>();
    long now = time.nanoTime();
    for (PartitionFiles f : open.values()) {
      if (f.hasRows() && (f.bytes() >= rollBytes || now - f.startedNanos >= rollNanos)) {
        due.add(f.tp);
      }
    }
    return flush(due);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> flush(
      java.util.Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      PartitionFiles f = open.remove(tp);
      if (f != null && f.next >= 0) {
        f.publish();
        offsets.put(tp, new OffsetAndMetadata(f.next));
      }
    }
    return offsets;
  }

  @Override
  public void assigned(
      Consumer<byte[], byte[]> consumer, java.util.Collection<TopicPartition> partitions) {
    Map<String, List<TopicPartition>> byTopic = new HashMap<>();
    partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp));
    try {
      for (var e : byTopic.entrySet()) {
        List<String> files = store.list(rowsByTopic.get(e.getKey()).dataset() + "/");
        for (TopicPartition tp : e.getValue()) {
          removeOrphans(files, tp, consumer.position(tp));
        }
      }
      deleteScratch(partitions);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the lake at " + store.describe(), e);
    }
  }

  /** Deletes the files of {@code tp} written after its committed offset (a crash's leftovers). */
  private void removeOrphans(List<String> files, TopicPartition tp, long committed)
      throws IOException {
    for (String path : files) {
      var range = LakeFiles.range(path, tp.topic(), tp.partition());
      if (range.isEmpty()) {
        continue;
      }
      if (range.get().first() >= committed) {
        log.info(
            "Removing {}: written after offset {} of {} was committed, it is written again",
            path,
            committed,
            tp);
        store.delete(path);
      } else if (range.get().last() >= committed) {
        log.warn(
            "{} holds offsets from {} on, which {} reads again: was the group's offset moved back?"
                + " Those records will be in the lake twice",
            path,
            committed,
            tp);
      }
    }
  }

  /** Deletes the scratch files of these partitions left by a crashed writer. */
  private void deleteScratch(java.util.Collection<TopicPartition> partitions) throws IOException {
    Set<String> prefixes = new HashSet<>();
    partitions.forEach(tp -> prefixes.add(tp.topic() + "+" + tp.partition() + "+"));
    try (Stream<Path> files = Files.list(store.scratch())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (prefixes.stream().anyMatch(name::startsWith)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The open files of one partition, one per (tenant, day). */
  private final class PartitionFiles {
    private final TopicPartition tp;
    private final LakeRows<?, ?> rows;
    private final Map<String, OpenFile> files = new LinkedHashMap<>();
    private final long startedNanos = time.nanoTime();
    private long next = -1;

    PartitionFiles(TopicPartition tp) {
      this.tp = tp;
      this.rows = rowsByTopic.get(tp.topic());
    }

    boolean hasRows() {
      return next >= 0;
    }

    void write(String dir, LakeRows.Row row, ConsumerRecord<byte[], byte[]> r) {
      OpenFile f = files.computeIfAbsent(dir, d -> new OpenFile(d, r.offset()));
      try {
        f.writer.write(row.record());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + f.tmp, e);
      }
      f.last = r.offset();
      f.rows++;
      next = r.offset() + 1;
    }

    long bytes() {
      long b = 0;
      for (OpenFile f : files.values()) {
        b += f.writer.getDataSize();
      }
      return b;
    }

    void publish() {
      for (OpenFile f : files.values()) {
        String path = LakeFiles.file(f.directory, tp.topic(), tp.partition(), f.first, f.last);
        try {
          f.writer.close();
          long size = Files.size(f.tmp);
          store.publish(f.tmp, path);
          stats.files.increment();
          stats.rows.add(f.rows);
          stats.bytes.add(size);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot publish " + path + " to " + store.describe(), e);
        }
      }
      files.clear();
    }

    private final class OpenFile {
      final String directory;
      final long first;
      final Path tmp;
      final ParquetWriter<GenericRecord> writer;
      long last;
      long rows;

      OpenFile(String directory, long first) {
        this.directory = directory;
        this.first = first;
        try {
          this.tmp =
              store
                  .scratch()
                  .resolve(
                      tp.topic() + "+" + tp.partition() + "+" + UUID.randomUUID() + ".parquet");
          this.writer = ParquetFiles.writer(tmp, PartitionFiles.this.rows.schema(), codec);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot open a file in " + store.describe(), e);
        }
      }
    }
  }
}
