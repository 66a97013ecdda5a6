package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.iceberg.IcebergSink;
import io.dirpipe.sink.iceberg.LakeCatalog;
import io.dirpipe.sink.iceberg.LakeMaintenance;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dirpipe lake}: the Iceberg lake's upkeep. */
@Command(
    name = "lake",
    mixinStandardHelpOptions = true,
    description = "The Iceberg lake (lake.format iceberg).",
    subcommands = {LakeCommand.Maintain.class})
final class LakeCommand {
  private LakeCommand() {}

  @Command(
      name = "maintain",
      mixinStandardHelpOptions = true,
      description = {
        "Compacts each table (a partition with more than one data file or any delete file is"
            + " rewritten into files of about lake.target-file-bytes, deletes applied), then expires"
            + " snapshots older than lake.snapshot-retention beyond the last lake.snapshot-keep, and"
            + " the files only they referenced. Rows are never removed: the history tables keep"
            + " every version. Safe while the lake sink runs; run it daily (a CronJob).",
      })
  static final class Maintain implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(
        names = "--tables",
        split = ",",
        paramLabel = "NAME",
        description = "Only these tables (default: every table of the lake).")
    List<String> tables;

    @Option(names = "--json", description = "Print one JSON object per table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      SinkConfig sink = new SinkConfig(config.load(Map.of()).values());
      Catalog catalog = LakeCatalog.of(sink);
      List<TableIdentifier> ids = new ArrayList<>();
      if (tables == null) {
        if (!((SupportsNamespaces) catalog).namespaceExists(IcebergSink.NAMESPACE)) {
          throw new ParameterException(
              spec.commandLine(),
              "The lake at "
                  + sink.getString(SinkConfig.LAKE_ROOT)
                  + " has no tables: has the lake sink (lake.format iceberg) written it?");
        }
        ids.addAll(catalog.listTables(IcebergSink.NAMESPACE));
      } else {
        for (String t : tables) {
          TableIdentifier id = TableIdentifier.of(IcebergSink.NAMESPACE, t);
          if (!catalog.tableExists(id)) {
            throw new ParameterException(
                spec.commandLine(), "--tables " + t + ": the lake has no table " + id);
          }
          ids.add(id);
        }
      }
      long olderThan =
          System.currentTimeMillis() - sink.getLong(SinkConfig.LAKE_SNAPSHOT_RETENTION);
      PrintWriter out = spec.commandLine().getOut();
      ObjectMapper mapper = new ObjectMapper();
      for (TableIdentifier id : ids) {
        LakeMaintenance.Result r =
            LakeMaintenance.maintain(
                catalog.loadTable(id),
                sink.getLong(SinkConfig.LAKE_TARGET_FILE_BYTES),
                olderThan,
                sink.getInt(SinkConfig.LAKE_SNAPSHOT_KEEP));
        if (json) {
          out.println(mapper.writeValueAsString(r));
        } else {
          out.printf(
              "%s: data files %d -> %d, delete files %d -> %d, %d partitions rewritten, %d"
                  + " snapshots expired%n",
              r.table(),
              r.dataFilesBefore(),
              r.dataFilesAfter(),
              r.deleteFilesBefore(),
              r.deleteFilesAfter(),
              r.partitionsRewritten(),
              r.snapshotsExpired());
        }
      }
      return Main.OK;
    }
  }
}
