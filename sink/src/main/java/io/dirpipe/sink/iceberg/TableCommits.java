package io.dirpipe.sink.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.core.Failpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits to a table that record the Kafka offsets they cover, as Iceberg's Kafka Connect sink
 * does: each commit's snapshot summary holds, under {@value #OFFSETS}, the consumer group and the
 * next offset of every partition the commit's rows came from. A sink that restarts takes its
 * positions from the table's newest such snapshot, not from the group: a crash between the table
 * commit and the group's offset commit neither loses nor doubles a row.
 */
public final class TableCommits {
  /** Snapshot summary key of the offsets. */
  public static final String OFFSETS = "dirpipe.kafka-offsets";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TableCommits() {}

  /**
   * Writes {@code rows} as Parquet data files (one per partition of the table's spec) and commits
   * them in one snapshot with the offsets that follow them.
   *
   * @param next the next offset of each partition the rows came from
   */
  public static void append(
      Table table, String group, List<Record> rows, Map<TopicPartition, Long> next) {
    AppendFiles append = table.newAppend();
    for (DataFile file : write(table, rows)) {
      append.appendFile(file);
    }
    append.set(OFFSETS, encode(group, next));
    Failpoints.reach("lake.files-written"); // written, not committed
    append.commit();
  }

  /**
   * Equality deletes of {@code deletes} (records of {@code keySchema}: the columns that name a row)
   * and the {@code rows} inserted, in one snapshot with the offsets that follow them.
   */
  public static void rowDelta(
      Table table,
      String group,
      List<Record> rows,
      List<Record> deletes,
      org.apache.iceberg.Schema keySchema,
      Map<TopicPartition, Long> next) {
    RowDelta delta = table.newRowDelta();
    for (DataFile file : write(table, rows)) {
      delta.addRows(file);
    }
    for (DeleteFile file : deletes(table, deletes, keySchema)) {
      delta.addDeletes(file);
    }
    delta.set(OFFSETS, encode(group, next));
    Failpoints.reach("lake.files-written"); // written, not committed
    delta.commit();
  }

  private static List<DeleteFile> deletes(
      Table table, List<Record> keys, org.apache.iceberg.Schema keySchema) {
    if (keys.isEmpty()) {
      return List.of();
    }
    int[] ids = keySchema.columns().stream().mapToInt(f -> f.fieldId()).toArray();
    GenericAppenderFactory factory =
        new GenericAppenderFactory(table.schema(), table.spec(), ids, keySchema, null);
    Map<StructLike, List<Record>> byPartition = new LinkedHashMap<>();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(keySchema.asStruct());
    for (Record k : keys) {
      PartitionKey key = new PartitionKey(table.spec(), keySchema);
      key.partition(wrapper.wrap(k));
      byPartition.computeIfAbsent(key, x -> new ArrayList<>()).add(k);
    }
    List<DeleteFile> files = new ArrayList<>();
    for (Map.Entry<StructLike, List<Record>> e : byPartition.entrySet()) {
      String location =
          table
              .locationProvider()
              .newDataLocation(
                  table.spec(), e.getKey(), "delete-" + UUID.randomUUID() + ".parquet");
      EqualityDeleteWriter<Record> writer =
          factory.newEqDeleteWriter(
              EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(location)),
              FileFormat.PARQUET,
              e.getKey());
      try (writer) {
        e.getValue().forEach(writer::write);
      } catch (IOException ex) {
        throw new UncheckedIOException("Cannot write " + location, ex);
      }
      files.add(writer.toDeleteFile());
    }
    return files;
  }

  /**
   * Where {@code group} resumes reading into the table: per partition, the highest next offset any
   * of its commits recorded. Each commit records only the partitions it wrote, so two sink
   * instances of one group committing to one table (each with its own partitions, a rebalance
   * moving them) never overwrite each other's offsets, whatever the order of their commits.
   * Snapshots that carry none (compaction) are walked past; expiry keeps the ones that matter
   * ({@link #newest}).
   */
  public static Map<TopicPartition, Long> offsets(Table table, String group) {
    Map<TopicPartition, Long> out = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    newest(table, group).forEach((p, s) -> out.put(p, s.offset()));
    return out;
  }

  /** A partition's next offset as one snapshot recorded it. */
  record Recorded(long offset, long snapshotMillis) {}

  /** Per partition of {@code group}, the highest offset recorded and the snapshot's time. */
  static Map<TopicPartition, Recorded> newest(Table table, String group) {
    table.refresh();
    Map<TopicPartition, Recorded> out = new HashMap<>();
    for (Snapshot s = table.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      String json = s.summary().get(OFFSETS);
      if (json == null) {
        continue;
      }
      JsonNode node = read(json);
      if (!group.equals(node.path("group").asText())) {
        continue;
      }
      long millis = s.timestampMillis();
      node.path("offsets")
          .fields()
          .forEachRemaining(
              e -> {
                int slash = e.getKey().lastIndexOf('/');
                TopicPartition p =
                    new TopicPartition(
                        e.getKey().substring(0, slash),
                        Integer.parseInt(e.getKey().substring(slash + 1)));
                Recorded seen = out.get(p);
                if (seen == null || e.getValue().asLong() > seen.offset()) {
                  out.put(p, new Recorded(e.getValue().asLong(), millis));
                }
              });
    }
    return out;
  }

  /** The group whose offsets a snapshot records, or null (compaction, expiry). */
  static String group(Snapshot snapshot) {
    String json = snapshot.summary().get(OFFSETS);
    return json == null ? null : read(json).path("group").asText();
  }

  private static List<DataFile> write(Table table, List<Record> rows) {
    Map<StructLike, List<Record>> byPartition = new LinkedHashMap<>();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    for (Record r : rows) {
      PartitionKey key = new PartitionKey(table.spec(), table.schema());
      key.partition(wrapper.wrap(r));
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    List<DataFile> files = new ArrayList<>();
    for (Map.Entry<StructLike, List<Record>> e : byPartition.entrySet()) {
      PartitionKey key = (PartitionKey) e.getKey();
      String location =
          table
              .locationProvider()
              .newDataLocation(table.spec(), key, UUID.randomUUID() + ".parquet");
      OutputFile out = table.io().newOutputFile(location);
      DataWriter<Record> writer;
      try {
        writer =
            Parquet.writeData(out)
                .schema(table.schema())
                .withSpec(table.spec())
                .withPartition(key)
                .createWriterFunc(GenericParquetWriter::create)
                .overwrite()
                .build();
      } catch (IOException ex) {
        throw new UncheckedIOException("Cannot write " + location, ex);
      }
      try (writer) {
        e.getValue().forEach(writer::write);
      } catch (IOException ex) {
        throw new UncheckedIOException("Cannot write " + location, ex);
      }
      files.add(writer.toDataFile());
    }
    return files;
  }

  static String encode(String group, Map<TopicPartition, Long> offsets) {
    ObjectNode node = JSON.createObjectNode().put("group", group);
    ObjectNode o = node.putObject("offsets");
    new TreeMap<>(
            offsets.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e -> e.getKey().topic() + "/" + e.getKey().partition(),
                        Map.Entry::getValue)))
        .forEach(o::put);
    return node.toString();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("A snapshot's " + OFFSETS + " is not JSON", e);
    }
  }
}
