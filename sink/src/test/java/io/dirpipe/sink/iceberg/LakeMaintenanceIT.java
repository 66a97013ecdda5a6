package io.dirpipe.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake maintain} on a table of 10,000 small files ({@code runs}: two rows each, five days,
 * so five partitions, written in 20 commits): the same rows as were written (count and digest) in a
 * handful of files, the small files' snapshots expired.
 */
class LakeMaintenanceIT {
  static final int FILES = 10_000;
  static final int DISTINCT = 1_000;
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final Instant T = Instant.parse("2026-11-20T00:00:00Z");
  @TempDir Path lake;

  @Test
  void tenThousandSmallFilesBecomeAFewWithTheSameRows() throws Exception {
    Catalog catalog = LakeCatalog.embedded(lake);
    ((SupportsNamespaces) catalog).createNamespace(IcebergSink.NAMESPACE);
    org.apache.iceberg.Schema schema = RunsSchema.of();
    Table table =
        catalog.createTable(
            TableIdentifier.of(IcebergSink.NAMESPACE, "runs"),
            schema,
            RunsSchema.spec(schema),
            Map.of("format-version", "2", "write.parquet.compression-codec", "uncompressed"));
    // 1,000 files of two distinct rows each, and 9 copies of every file under another name
    Digest written = new Digest();
    List<DataFile> files = new ArrayList<>();
    for (int f = 0; f < DISTINCT; f++) {
      List<Record> rows = List.of(row(table, 2L * f), row(table, 2L * f + 1));
      DataFile file = write(table, rows);
      for (int copy = 0; copy < FILES / DISTINCT; copy++) {
        files.add(copy == 0 ? file : copy(table, file));
        rows.forEach(written::add);
      }
    }
    for (int batch = 0; batch < 20; batch++) { // 20 commits of 500 files
      AppendFiles append = table.newAppend();
      files.subList(batch * FILES / 20, (batch + 1) * FILES / 20).forEach(append::appendFile);
      append.commit();
    }
    assertThat(LakeMaintenance.files(table)[0]).isEqualTo(FILES);

    LakeMaintenance.Result r =
        LakeMaintenance.maintain(table, 128L << 20, System.currentTimeMillis() + 60_000, 1);

    assertThat(r.dataFilesBefore()).isEqualTo(FILES);
    assertThat(r.partitionsRewritten()).isEqualTo(5);
    assertThat(r.dataFilesAfter()).as("one file per partition").isEqualTo(5);
    assertThat(r.snapshotsExpired()).isEqualTo(20);
    assertThat(digest(table)).as("count and digest of the rows").isEqualTo(written.toString());
    assertThat(written.count).isEqualTo(2L * FILES);
  }

  /** Run event {@code n}: on one of five days. */
  static Record row(Table table, long n) {
    Instant at = T.plusSeconds(n % 5 * 86_400 + n % 80_000);
    RunEvent e =
        RunEvent.newBuilder()
            .setType(RunEventType.COMPLETED)
            .setRunId("run-" + n)
            .setTenantId(TENANT)
            .setCollection("users")
            .setMode(Mode.DELTA)
            .setAt(at)
            .setStartedAt(at.minusSeconds(3))
            .setRecords(n)
            .setRemoved(0)
            .setPages(1)
            .setRequests(1)
            .setThrottled(0)
            .setResourceUnits(1)
            .setDigest(Long.toHexString(n * 0x9E3779B97F4A7C15L))
            .setError(null)
            .build();
    org.apache.iceberg.data.GenericRecord row =
        org.apache.iceberg.data.GenericRecord.create(table.schema());
    RunsSchema.EVENT.fill(row, e);
    row.setField("kafka_partition", 0);
    row.setField("kafka_offset", n);
    return row;
  }

  /** The same Parquet file under another name in the same partition folder. */
  static DataFile copy(Table table, DataFile file) throws Exception {
    Path from = Path.of(java.net.URI.create(file.location()));
    Path to = from.resolveSibling(UUID.randomUUID() + ".parquet");
    java.nio.file.Files.copy(from, to);
    return org.apache.iceberg.DataFiles.builder(table.spec())
        .copy(file)
        .withPath(to.toUri().toString())
        .build();
  }

  static DataFile write(Table table, List<Record> rows) throws Exception {
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(rows.get(0)));
    String location =
        table.locationProvider().newDataLocation(table.spec(), key, UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(table.schema())
            .withSpec(table.spec())
            .withPartition(key)
            .createWriterFunc(GenericParquetWriter::create)
            .overwrite()
            .build();
    try (writer) {
      rows.forEach(writer::write);
    }
    return writer.toDataFile();
  }

  /** The row count and an order-independent digest of every row's values. */
  static String digest(Table table) throws Exception {
    table.refresh();
    Digest d = new Digest();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(d::add);
    }
    return d.toString();
  }

  static final class Digest {
    long count;
    final long[] sum = new long[4];

    void add(Record r) {
      count++;
      try {
        byte[] h =
            MessageDigest.getInstance("SHA-256")
                .digest(r.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 4; i++) { // a sum, not a xor: duplicate rows count
          sum[i] += java.nio.ByteBuffer.wrap(h, 8 * i, 8).getLong();
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return count + " " + java.util.Arrays.toString(sum);
    }
  }
}
