package io.dirpipe.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.entity.User;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** File names, roots and row schemas of the lake. */
class LakeLayoutTest {
  @Test
  void fileNamesSayTenantDayTopicPartitionAndOffsets() {
    String dir =
        LakeFiles.directory(
            "raw.users", "t1.example.com", Instant.parse("2026-11-24T23:59:59.999Z"));
    assertThat(dir).isEqualTo("raw.users/tenant=t1.example.com/date=2026-11-24");
    String file = LakeFiles.file(dir, "dirpipe.raw.users", 2, 100, 250);
    assertThat(file)
        .isEqualTo(
            "raw.users/tenant=t1.example.com/date=2026-11-24/dirpipe.raw.users+2+100-250.parquet");
    assertThat(LakeFiles.range(file, "dirpipe.raw.users", 2))
        .contains(new LakeFiles.Range(100, 250));
    assertThat(LakeFiles.range(file, "dirpipe.raw.users", 1)).isEmpty();
    assertThat(LakeFiles.range(file, "other.raw.users", 2)).isEmpty();
    assertThat(LakeFiles.range("raw.users/x/snapshot-1.parquet", "dirpipe.raw.users", 2)).isEmpty();
  }

  @Test
  void rootsOfEveryKindResolveToAccountContainerAndPath() {
    assertThat(BlobLakeStore.Location.parse("abfss://lake@acct.dfs.core.windows.net/dirpipe/prod"))
        .isEqualTo(
            new BlobLakeStore.Location(
                "https://acct.blob.core.windows.net", "lake", "dirpipe/prod"));
    assertThat(BlobLakeStore.Location.parse("https://acct.blob.core.windows.net/lake/dirpipe"))
        .isEqualTo(
            new BlobLakeStore.Location("https://acct.blob.core.windows.net", "lake", "dirpipe"));
    assertThat(BlobLakeStore.Location.parse("http://127.0.0.1:10000/devstoreaccount1/lake"))
        .isEqualTo(
            new BlobLakeStore.Location("http://127.0.0.1:10000/devstoreaccount1", "lake", ""));
  }

  @Test
  void changeRowsOfACollectionCarryOnlyItsEntity() {
    Schema change = SpecificData.get().getSchema(Change.class);
    Schema user = SpecificData.get().getSchema(User.class);
    Schema narrowed = LakeRows.narrow(change, user);
    assertThat(narrowed.getField("after").schema().getTypes())
        .extracting(Schema::getName)
        .containsExactly("null", "User");
    assertThat(narrowed.getField("op").schema()).isEqualTo(change.getField("op").schema());
    assertThat(narrowed.getFields()).hasSameSizeAs(change.getFields());
  }
}
