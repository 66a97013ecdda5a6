package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.extractor.publish.Checkpoints;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.CheckpointKey;
import io.dirpipe.schemas.Collection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dirpipe checkpoints}: where each collection's extraction stands, and how to start over.
 */
@Command(
    name = "checkpoints",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the committed position of every (tenant, collection): a run in progress resumes after"
          + " its last committed page; a completed DELTA run keeps the delta link the next one starts"
          + " from. Links are not printed (they carry Graph's skip and delta tokens).",
      "--reset --collection C forgets one position: the next run of C starts afresh (FULL, or a delta"
          + " query's initial round). Use it when a run fails at the same page every time; stop that"
          + " tenant's extractors first."
    })
final class CheckpointsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--collection", paramLabel = "C", description = "Only this collection.")
  String collection;

  @Option(names = "--tenant-id", paramLabel = "T", description = "The tenant (default: tenant.id).")
  String tenantId;

  @Option(names = "--reset", description = "Forget the position of --collection.")
  boolean reset;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (reset && collection == null) {
      throw new ParameterException(
          spec.commandLine(), "--reset needs --collection: name the collection to start afresh.");
    }
    if (collection != null) {
      Collection.of(collection); // names the valid collections when it is not one
    }
    Map<String, String> values = config.load(Map.of()).values();
    TopicsConfig kafka = KafkaWiring.config(values);
    String tenant = tenantId != null ? tenantId : new IdentityConfig(values).tenantId();
    PrintWriter out = spec.commandLine().getOut();
    if (reset) {
      if (tenant == null) {
        throw new ParameterException(
            spec.commandLine(), "--reset needs a tenant: set tenant.id or --tenant-id.");
      }
      Checkpoints.reset(
          kafka.clients(), kafka.topics().checkpoints(), new CheckpointKey(tenant, collection));
      out.printf(
          "%s of tenant %s: position forgotten; its next run starts afresh%n", collection, tenant);
      return Main.OK;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    Checkpoints.read(kafka.clients(), kafka.topics().checkpoints()).values().stream()
        .filter(c -> collection == null || c.getCollection().equals(collection))
        .filter(c -> tenantId == null || c.getTenantId().equals(tenantId))
        .sorted(
            Comparator.comparing(Checkpoint::getTenantId).thenComparing(Checkpoint::getCollection))
        .forEach(c -> rows.add(row(c)));
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(Map.of("checkpoints", rows)));
    } else if (rows.isEmpty()) {
      out.println("no checkpoints (nothing extracted yet with this topic prefix)");
    } else {
      rows.forEach(
          r ->
              out.printf(
                  "%-38s %-18s %-5s run %s: %s pages, %s records; %s%n",
                  r.get("tenantId"),
                  r.get("collection"),
                  r.get("mode"),
                  r.get("runId"),
                  r.get("pages"),
                  r.get("records"),
                  r.get("position")));
    }
    return Main.OK;
  }

  private static Map<String, Object> row(Checkpoint c) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("tenantId", c.getTenantId());
    r.put("collection", c.getCollection());
    r.put("mode", c.getMode().name());
    r.put("runId", c.getRunId());
    r.put("pages", c.getPages());
    r.put("records", c.getRecords());
    r.put(
        "position",
        c.getNextLink() != null
            ? "in progress: resumes after page " + c.getPages()
            : !c.getCursors().isEmpty()
                ? "in progress on "
                    + c.getCursors().size()
                    + " ranges ("
                    + c.getCursors().stream().filter(io.dirpipe.schemas.Cursor::getDone).count()
                    + " done): resumes after page "
                    + c.getPages()
                : c.getDeltaLink() != null
                    ? "complete; the next DELTA run starts from its delta link"
                    : "complete");
    return r;
  }
}
