package io.dirpipe.sink.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.StructLikeWrapper;

/**
 * Keeps a table cheap to read: {@link #compact} rewrites every partition that has more than one
 * data file or any delete file into files of about the target size, with the deletes applied;
 * {@link #expire} drops old snapshots (never rows of the current one) and the files only they
 * referenced. Iceberg's own compaction is an engine's action (Spark, Flink); dirpipe's tables are
 * small enough per partition to rewrite here, with Iceberg's {@code RewriteFiles}.
 *
 * <p>Safe beside a running sink: the rewrite keeps the data sequence number of the snapshot it
 * read, so equality deletes the sink commits meanwhile still apply to the rewritten rows, and
 * Iceberg refuses the commit if anything else it read changed. Expiry keeps, for every consumer
 * group and partition, the newest snapshot that records its offset ({@link TableCommits}), and
 * every later one.
 */
public final class LakeMaintenance {
  private LakeMaintenance() {}

  /** What one table's maintenance did. */
  public record Result(
      String table,
      int dataFilesBefore,
      int deleteFilesBefore,
      int dataFilesAfter,
      int deleteFilesAfter,
      int partitionsRewritten,
      int snapshotsExpired) {}

  /**
   * Compacts, then expires snapshots older than {@code olderThanMillis}, keeping {@code
   * retainLast}.
   */
  public static Result maintain(
      Table table, long targetFileBytes, long olderThanMillis, int retainLast) {
    table.refresh();
    int[] before = files(table);
    int rewritten = compact(table, targetFileBytes);
    int expired = expire(table, olderThanMillis, retainLast);
    int[] after = files(table);
    return new Result(table.name(), before[0], before[1], after[0], after[1], rewritten, expired);
  }

  /**
   * Rewrites the partitions with more than one data file or any delete file; the number rewritten.
   */
  public static int compact(Table table, long targetFileBytes) {
    table.refresh();
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return 0;
    }
    Map<StructLikeWrapper, Partition> partitions = new LinkedHashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        StructLikeWrapper key =
            StructLikeWrapper.forType(table.spec().partitionType()).set(task.file().partition());
        Partition p = partitions.computeIfAbsent(key, k -> new Partition(task.file().partition()));
        p.data.putIfAbsent(task.file().location(), task.file());
        task.deletes().forEach(d -> p.deletes.putIfAbsent(d.location(), d));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan " + table.name(), e);
    }
    RewriteFiles rewrite =
        table
            .newRewrite()
            .validateFromSnapshot(start.snapshotId())
            .dataSequenceNumber(start.sequenceNumber());
    int rewritten = 0;
    for (Partition p : partitions.values()) {
      if (p.data.size() < 2 && p.deletes.isEmpty()) {
        continue;
      }
      p.data.values().forEach(rewrite::deleteFile);
      p.deletes.values().forEach(rewrite::deleteFile);
      for (DataFile file : rewrite(table, start, p.partition, targetFileBytes)) {
        rewrite.addFile(file);
      }
      rewritten++;
    }
    if (rewritten > 0) {
      // the offsets so far, in this snapshot too: expiry need not keep the older ones (a
      // partition's offset is the highest any snapshot records, so a lower one here is harmless)
      java.util.Set<String> groups = groups(table);
      if (groups.size() == 1) {
        String group = groups.iterator().next();
        rewrite.set(
            TableCommits.OFFSETS, TableCommits.encode(group, TableCommits.offsets(table, group)));
      }
      rewrite.commit();
    }
    return rewritten;
  }

  /**
   * Expires the snapshots older than {@code olderThanMillis} beyond the last {@code retainLast},
   * but never the newest snapshot recording a partition's offset for a group (where a restarted
   * sink resumes) nor a later one; the number expired.
   */
  public static int expire(Table table, long olderThanMillis, int retainLast) {
    table.refresh();
    if (table.currentSnapshot() == null) {
      return 0;
    }
    long keepFrom = olderThanMillis;
    for (String group : groups(table)) {
      for (TableCommits.Recorded r : TableCommits.newest(table, group).values()) {
        keepFrom = Math.min(keepFrom, r.snapshotMillis()); // where that partition resumes
      }
    }
    int before = size(table);
    table.expireSnapshots().expireOlderThan(keepFrom).retainLast(retainLast).commit();
    table.refresh();
    return before - size(table);
  }

  /** The consumer groups whose offsets the table's snapshots record. */
  private static java.util.Set<String> groups(Table table) {
    java.util.Set<String> groups = new java.util.HashSet<>();
    for (Snapshot s : table.snapshots()) {
      String group = TableCommits.group(s);
      if (group != null) {
        groups.add(group);
      }
    }
    return groups;
  }

  private static int size(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }

  /** Data and delete files the current snapshot reads. */
  static int[] files(Table table) {
    java.util.Set<String> data = new java.util.HashSet<>();
    java.util.Set<String> deletes = new java.util.HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        data.add(t.file().location());
        t.deletes().forEach(d -> deletes.add(d.location()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan " + table.name(), e);
    }
    return new int[] {data.size(), deletes.size()};
  }

  private static final class Partition {
    final StructLike partition;
    final Map<String, DataFile> data = new LinkedHashMap<>();
    final Map<String, DeleteFile> deletes = new LinkedHashMap<>();

    Partition(StructLike partition) {
      this.partition = partition;
    }
  }

  /** The live rows of one partition as of {@code start}, into files of about the target size. */
  private static List<DataFile> rewrite(
      Table table, Snapshot start, StructLike partition, long targetFileBytes) {
    List<DataFile> out = new ArrayList<>();
    DataWriter<Record> writer = null;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table)
            .useSnapshot(start.snapshotId())
            .where(filter(table.spec(), partition))
            .build()) {
      for (Record r : rows) {
        if (writer == null) {
          writer = writer(table, partition);
        }
        writer.write(r);
        if (writer.length() >= targetFileBytes) {
          writer.close();
          out.add(writer.toDataFile());
          writer = null;
        }
      }
      if (writer != null) {
        writer.close();
        out.add(writer.toDataFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rewrite a partition of " + table.name(), e);
    }
    return out;
  }

  private static DataWriter<Record> writer(Table table, StructLike partition) throws IOException {
    String location =
        table
            .locationProvider()
            .newDataLocation(
                table.spec(), partition, "compacted-" + UUID.randomUUID() + ".parquet");
    return Parquet.writeData(table.io().newOutputFile(location))
        .schema(table.schema())
        .withSpec(table.spec())
        .withPartition(partition)
        .createWriterFunc(GenericParquetWriter::create)
        .overwrite()
        .build();
  }

  /** The rows of one partition: its identity values and day ranges on the source columns. */
  static Expression filter(PartitionSpec spec, StructLike partition) {
    Expression e = Expressions.alwaysTrue();
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField f = fields.get(i);
      String source = spec.schema().findColumnName(f.sourceId());
      Object value = partition.get(i, Object.class);
      String transform = f.transform().toString();
      if (transform.equals("identity")) {
        e =
            Expressions.and(
                e, value == null ? Expressions.isNull(source) : Expressions.equal(source, value));
      } else if (transform.equals("day") && value != null) {
        long day = ((Number) value).longValue() * 86_400_000_000L; // micros
        e =
            Expressions.and(
                e,
                Expressions.and(
                    Expressions.greaterThanOrEqual(source, day),
                    Expressions.lessThan(source, day + 86_400_000_000L)));
      } else {
        throw new IllegalStateException(
            spec + ": lake maintain rewrites identity and day partitions only, not " + transform);
      }
    }
    return e;
  }
}
