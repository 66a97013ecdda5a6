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
    subcommands = {LakeCommand.Tables.class, LakeCommand.Maintain.class})
final class LakeCommand {
  private LakeCommand() {}

  @Command(
      name = "tables",
      mixinStandardHelpOptions = true,
      description =
          "Lists the lake's tables: rows and data files of the current snapshot, and its metadata"
              + " file (what DuckDB's iceberg_scan and other catalog-less readers open).")
  static final class Tables implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(names = "--json", description = "Print one JSON object per table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Catalog catalog = catalog(spec, config);
      PrintWriter out = spec.commandLine().getOut();
      for (TableIdentifier id : catalog.listTables(IcebergSink.NAMESPACE)) {
        org.apache.iceberg.Table table = catalog.loadTable(id);
        var snapshot = table.currentSnapshot();
        Map<String, String> summary = snapshot == null ? Map.of() : snapshot.summary();
        String metadata =
            ((org.apache.iceberg.HasTableOperations) table)
                .operations()
                .current()
                .metadataFileLocation();
        if (json) {
          Map<String, Object> m = new java.util.LinkedHashMap<>();
          m.put("table", id.toString());
          m.put("rows", Long.parseLong(summary.getOrDefault("total-records", "0")));
          m.put("dataFiles", Long.parseLong(summary.getOrDefault("total-data-files", "0")));
          m.put("deleteFiles", Long.parseLong(summary.getOrDefault("total-delete-files", "0")));
          m.put("metadata", metadata);
          out.println(new ObjectMapper().writeValueAsString(m));
        } else {
          out.printf(
              "%-40s %10s rows %6s data files %6s delete files  %s%n",
              id,
              summary.getOrDefault("total-records", "0"),
              summary.getOrDefault("total-data-files", "0"),
              summary.getOrDefault("total-delete-files", "0"),
              metadata);
        }
      }
      return Main.OK;
    }
  }

  /** The configured catalog, refusing a lake without dirpipe's tables. */
  static Catalog catalog(CommandSpec spec, ConfigOption config) {
    SinkConfig sink = new SinkConfig(config.load(Map.of()).values());
    Catalog catalog = LakeCatalog.of(sink);
    if (!((SupportsNamespaces) catalog).namespaceExists(IcebergSink.NAMESPACE)) {
      throw new ParameterException(
          spec.commandLine(),
          "The lake at "
              + sink.getString(SinkConfig.LAKE_ROOT)
              + " has no tables: has the lake sink (lake.format iceberg) written it?");
    }
    return catalog;
  }

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
      Catalog catalog = catalog(spec, config);
      List<TableIdentifier> ids = new ArrayList<>();
      if (tables == null) {
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
          System.currentTimeMillis()
              - io.dirpipe.core.ConfigDurations.get(sink, SinkConfig.LAKE_SNAPSHOT_RETENTION)
                  .toMillis();
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
