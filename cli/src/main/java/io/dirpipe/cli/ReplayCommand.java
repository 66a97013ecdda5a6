package io.dirpipe.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.serde.PlainJson;
import io.dirpipe.sink.lake.InventoryFiles;
import io.dirpipe.transformer.audit.Replay;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe replay}: the inventory of a collection as it was at a given time. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds the inventory of a collection as it was at TIME from its change topic"
          + " (changes.<collection>, read_committed) and prints how many objects it held.",
      "--collection edges (or an edge collection such as groupOwners) rebuilds the edges that held"
          + " at TIME from changes.edges, of one --kind or of all.",
      "With --out, writes the objects (one per tenant and id) as JSON lines or Parquet; edges as"
          + " JSON lines.",
      "--source lake answers from the lake's <collection>_history Iceberg table (lake.format"
          + " iceberg) instead: the versions valid at TIME, whatever the topics still hold."
    })
final class ReplayCommand implements Callable<Integer> {
  enum Format {
    jsonl,
    parquet
  }

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "C",
      description =
          "An object collection (users, groups, roleAssignments, conditionalAccessPolicies, ...:"
              + " extract.collections in the README lists them); or edges, or one edge collection (groupOwners,"
              + " appRoleAssignments, delegatedPermissions, userManagers, ...).")
  String collection;

  @Option(
      names = "--kind",
      paramLabel = "K",
      description = "With --collection edges: only the edges of this edge collection.")
  String kind;

  @Option(
      names = "--at",
      required = true,
      paramLabel = "TIME",
      description =
          "now, a time before now (-P1D, -PT2H, -1d, -90m), an ISO-8601 time with a zone"
              + " (2026-11-24T08:00:00Z) or epoch milliseconds.")
  Instant at;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the objects to FILE.")
  Path out;

  @Option(
      names = "--format",
      paramLabel = "jsonl|parquet",
      defaultValue = "jsonl",
      description = "Format of --out (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  enum Source {
    kafka,
    lake
  }

  @Option(
      names = "--source",
      paramLabel = "kafka|lake",
      defaultValue = "kafka",
      description =
          "Where the history is read: the change topic (default) or the lake's Iceberg history"
              + " table.")
  Source source;

  @Override
  public Integer call() throws Exception {
    if (collection.equals("edges")
        || Collection.find(collection).filter(Collection::isEdgeCollection).isPresent()) {
      return edges(collection.equals("edges") ? kind : collection);
    }
    if (kind != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--kind goes with --collection edges");
    }
    Collection<?> c = Collection.of(collection);
    if (!c.isObjectCollection()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--collection "
              + collection
              + " has no inventory; memberships are in changes.memberships");
    }
    Map<String, String> values = config.load(Map.of()).values();
    NavigableMap<ObjectKey, ? extends SpecificRecord> inventory;
    if (source == Source.lake) {
      inventory =
          io.dirpipe.sink.iceberg.LakeReplay.at(
              io.dirpipe.sink.iceberg.LakeCatalog.of(new io.dirpipe.sink.SinkConfig(values)),
              c,
              at);
    } else {
      TopicsConfig kafka = KafkaWiring.config(values);
      inventory = Replay.at(kafka.clients(), kafka.topics(), c, at);
    }
    if (out != null) {
      switch (format) {
        case jsonl -> writeJsonLines(inventory, out);
        case parquet -> InventoryFiles.write(c, inventory, out);
      }
    }
    return report(c.name(), null, inventory.size(), "objects");
  }

  /** The edges that held at {@code at}, of one kind or (null) all. */
  private Integer edges(String edgeKind) throws Exception {
    if (edgeKind != null
        && Collection.find(edgeKind).filter(Collection::isEdgeCollection).isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--kind "
              + edgeKind
              + " is not an edge collection: groupOwners, applicationOwners,"
              + " servicePrincipalOwners or directoryRoleMembers");
    }
    if (out != null && format == Format.parquet) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "edges are written as JSON lines: --format jsonl");
    }
    Map<String, String> values = config.load(Map.of()).values();
    java.util.NavigableMap<io.dirpipe.schemas.EdgeKey, io.dirpipe.schemas.entity.Edge> edges;
    if (source == Source.lake) {
      edges =
          io.dirpipe.sink.iceberg.LakeReplay.edgesAt(
              io.dirpipe.sink.iceberg.LakeCatalog.of(new io.dirpipe.sink.SinkConfig(values)),
              edgeKind,
              at);
    } else {
      TopicsConfig kafka = KafkaWiring.config(values);
      edges = Replay.edgesAt(kafka.clients(), kafka.topics(), edgeKind, at);
    }
    if (out != null) {
      List<Map.Entry<String, ? extends SpecificRecord>> rows = new ArrayList<>();
      edges.forEach((k, e) -> rows.add(Map.entry(k.getTenantId(), e)));
      writeRows(rows, out);
    }
    return report("edges", edgeKind == null ? "all" : edgeKind, edges.size(), "edges");
  }

  /** Prints what was replayed: one JSON object, or a line. */
  private Integer report(String what, String kind, int count, String unit) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("collection", what);
    if (kind != null) {
      result.put("kind", kind);
    }
    result.put("at", at.toString());
    result.put("count", count);
    if (out != null) {
      result.put("out", out.toString());
      result.put("format", format.name());
    }
    if (json) {
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result));
    } else {
      spec.commandLine()
          .getOut()
          .printf(
              "%s%s at %s: %d %s%s%n",
              what,
              kind == null ? "" : " (" + kind + ")",
              at,
              count,
              unit,
              out == null ? "" : " written to " + out);
    }
    return Main.OK;
  }

  /** One JSON object per line: the tenant id, then the object's fields. */
  static void writeJsonLines(Map<ObjectKey, ? extends SpecificRecord> inventory, Path file)
      throws IOException {
    List<Map.Entry<String, ? extends SpecificRecord>> rows = new ArrayList<>();
    inventory.forEach((k, o) -> rows.add(Map.entry(k.getTenantId(), o)));
    writeRows(rows, file);
  }

  /** One JSON object per line: the tenant id, then the record's fields. */
  private static void writeRows(List<Map.Entry<String, ? extends SpecificRecord>> rows, Path file)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        JsonGenerator g = new JsonFactory().createGenerator(os)) {
      g.setRootValueSeparator(null);
      for (var e : rows) {
        g.writeStartObject();
        g.writeStringField("tenantId", e.getKey());
        PlainJson.writeFields(g, e.getValue());
        g.writeEndObject();
        g.writeRaw('\n');
      }
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
