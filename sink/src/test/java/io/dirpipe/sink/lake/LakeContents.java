package io.dirpipe.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.ObjectKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/** What a local lake holds, for the lake's tests. */
public final class LakeContents {
  private LakeContents() {}

  /** The published Parquet files (scratch files aside). */
  public static List<Path> parquetFiles(Path lake) throws Exception {
    if (!Files.isDirectory(lake)) {
      return List.of();
    }
    return new LocalLakeStore(lake)
        .list("").stream().filter(p -> p.endsWith(".parquet")).map(lake::resolve).toList();
  }

  /** Each of {@code records} records of a raw topic is one row: no loss, no duplicate. */
  public static void assertEveryRecordOnce(Path lake, int records) throws Exception {
    List<String> places = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path f : parquetFiles(lake)) {
      for (GenericRecord r : ParquetFiles.read(f)) {
        places.add(r.get("kafkaPartition") + "/" + r.get("kafkaOffset"));
        ids.add(((ObjectKey) r.get("key")).getObjectId());
      }
    }
    assertThat(places).as("rows").hasSize(records);
    assertThat(new HashSet<>(places)).as("distinct (partition, offset)").hasSize(records);
    assertThat(ids).as("distinct keys").hasSize(records);
  }
}
