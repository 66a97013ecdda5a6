package io.dirpipe.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded catalog as two processes use it (a sink and {@code lake maintain}, two sinks): each
 * sees the other's commits and commits after them ({@link SqliteClientPool}; with Iceberg's own
 * pool the first catalog kept reading the file as it was and its next commit failed with
 * SQLITE_BUSY_SNAPSHOT).
 */
class LakeCatalogTest {
  @TempDir Path lake;

  @Test
  void hadoopDefaultsAreDirpipesEmptyOnes() {
    // Iceberg's Parquet writer makes a Configuration per file; hadoop-common's defaults cost ~3 ms
    new org.apache.hadoop.mapred.JobConf(); // adds mapred-default.xml to every Configuration
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    for (String defaults : new String[] {"core-default.xml", "mapred-default.xml"}) {
      assertThat(conf.getResource(defaults).toString()).as(defaults).doesNotContain("hadoop-");
    }
    assertThat(conf.size()).as("properties of %s", conf).isZero();
  }

  @Test
  void twoCatalogsOnOneFileSeeAndFollowEachOthersCommits() {
    Catalog a = LakeCatalog.embedded(lake);
    ((SupportsNamespaces) a).createNamespace(IcebergSink.NAMESPACE);
    org.apache.iceberg.Schema schema = RunsSchema.of();
    TableIdentifier id = TableIdentifier.of(IcebergSink.NAMESPACE, "runs");
    a.createTable(id, schema, RunsSchema.spec(schema), Map.of("format-version", "2"));
    Table inA = a.loadTable(id);
    Table inB = LakeCatalog.embedded(lake).loadTable(id);
    for (int i = 1; i <= 3; i++) {
      inB.updateProperties().set("b", Integer.toString(i)).commit();
      inA.refresh();
      assertThat(inA.properties()).as("A sees B's commit %d", i).containsEntry("b", "" + i);
      inA.updateProperties().set("a", Integer.toString(i)).commit(); // after B's
      inB.refresh();
      assertThat(inB.properties()).as("B sees A's commit %d", i).containsEntry("a", "" + i);
    }
  }
}
