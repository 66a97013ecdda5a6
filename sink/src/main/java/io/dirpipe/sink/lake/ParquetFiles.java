package io.dirpipe.sink.lake;

import io.dirpipe.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Parquet files of Avro records on the local file system (parquet-avro; no Hadoop file system).
 * Timestamps are written as {@code timestamp-millis} from {@link java.time.Instant} values.
 */
public final class ParquetFiles {
  /**
   * dirpipe's data model: Instant timestamps, the contract's records and enums nested in generic
   * rows.
   */
  public static final GenericData MODEL = AvroSerde.MODEL;

  private ParquetFiles() {}

  /** A writer of a new file (replacing one left by a crash). Close it to finish the file. */
  public static ParquetWriter<GenericRecord> writer(
      Path file, Schema schema, CompressionCodecName codec) throws IOException {
    return AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
        .withSchema(schema)
        .withDataModel(MODEL)
        .withConf(new PlainParquetConfiguration())
        .withCompressionCodec(codec)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  /** Writes every record to {@code file}; the file appears complete or not at all. */
  public static void write(
      Path file,
      Schema schema,
      Iterable<? extends GenericRecord> records,
      CompressionCodecName codec)
      throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (ParquetWriter<GenericRecord> w = writer(tmp, schema, codec)) {
      for (GenericRecord r : records) {
        w.write(r);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The number of records in a file, from its footer. */
  public static long count(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      return r.getRecordCount();
    }
  }

  /** Every record of a file, in order. */
  public static List<GenericRecord> read(Path file) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> r =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
            .withDataModel(MODEL)
            .withConf(new PlainParquetConfiguration())
            .build()) {
      for (GenericRecord g = r.read(); g != null; g = r.read()) {
        records.add(g);
      }
    }
    return records;
  }
}
