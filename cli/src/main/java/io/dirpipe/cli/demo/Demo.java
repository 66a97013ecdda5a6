package io.dirpipe.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.sandbox.registry.SchemaRegistry;
import io.dirpipe.sandbox.tenant.Mutator;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.lake.ParquetFiles;
import io.dirpipe.transformer.audit.RunVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The whole mission on this machine: an emulated tenant and a local broker in this process, the
 * pipeline roles as child processes configured by the sandbox's environment (its managed-identity
 * endpoint, Graph, Logs Ingestion), and a story — a FULL extraction, a burst of changes, a DELTA
 * run, the transformer and both sinks draining — whose counts must agree at every stage.
 */
public final class Demo {
  static final String PREFIX = "demo.";

  /**
   * What the demo's managed identity holds: Directory.Read.All reads every collection but PIM's
   * schedules and the conditional access policies, which have permissions of their own.
   */
  static final List<String> PERMISSIONS =
      List.of(
          "Directory.Read.All",
          "RoleEligibilitySchedule.Read.Directory",
          "RoleAssignmentSchedule.Read.Directory",
          "Policy.Read.All",
          "AuditLog.Read.All");

  /** What the story does with the tenant: sizes and where it keeps its data. */
  public record Options(int users, int groups, Path dataDir, boolean live) {}

  private final Options options;
  private final PrintWriter progress;
  private final Summary summary = new Summary();
  private TopicCounter counter;
  private List<String> completedRuns = List.of();

  public Demo(Options options, PrintWriter progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs the story; the summary says whether every count agreed. */
  public Summary run() throws Exception {
    long t0 = System.nanoTime();
    Path data = options.dataDir();
    Files.createDirectories(data.resolve("logs"));
    try (LibraryLogs libraries = LibraryLogs.toFile(data.resolve("logs").resolve("demo.log"))) {
      return story(t0, data);
    }
  }

  private Summary story(long t0, Path data) throws Exception {
    Tenant.Spec spec = Tenant.Spec.forUsers(42, options.users());
    spec =
        new Tenant.Spec(
            spec.seed(), spec.users(), options.groups(), spec.devices(), spec.applications());
    try (LocalKafka kafka = LocalKafka.start(data.resolve("kafka"));
        SchemaRegistry registry = SchemaRegistry.start(kafka.clients());
        Sandbox sandbox = Sandbox.start(new Sandbox.Options(0, 0, spec, PERMISSIONS, null))) {
      step(
          "sandbox tenant %s: %d users, %d groups, %d devices, %d apps; broker %s, schema registry"
              + " %s",
          sandbox.tenant().tenantId(),
          spec.users(),
          spec.groups(),
          spec.devices(),
          spec.applications(),
          kafka.bootstrapServers(),
          registry.url());
      Map<String, String> env = new LinkedHashMap<>(sandbox.environment()); // managed identity
      env.put("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      env.put("DIRPIPE_SCHEMA_REGISTRY_URL", registry.url()); // the Confluent wire format
      env.put("DIRPIPE_TOPICS_PREFIX", PREFIX);
      env.put("DIRPIPE_TRANSFORM_STATE_DIR", data.resolve("state").toString());
      env.put("DIRPIPE_LAKE_ROOT", data.resolve("lake").toString());
      env.put("DIRPIPE_LAKE_INVENTORY_INTERVAL", "3600000");
      // every collection, the security ones included, through every stage
      env.put("DIRPIPE_EXTRACT_COLLECTIONS", Collection.allNames());
      env.put(
          "DIRPIPE_TRANSFORM_COLLECTIONS",
          String.join(",", Collection.transformable().stream().map(Collection::name).toList()));
      env.put("DIRPIPE_SINK_COLLECTIONS", Collection.allNames());
      ChildProcesses roles = new ChildProcesses(env, data.resolve("logs"));
      counter = options.live() ? new TopicCounter(kafka.clients(), PREFIX) : null;
      KafkaClients k = kafka.clients();
      Topics topics =
          new TopicsConfig(
                  Map.of(
                      TopicsConfig.TOPICS_PREFIX,
                      PREFIX,
                      TopicsConfig.REGISTRY_URL,
                      registry.url()))
              .topics();

      Map<String, Long> before = liveCounts(sandbox);
      JsonNode full =
          stage(
              "extract FULL, every collection",
              () -> roles.run("extract-full", "extract", "--mode", "full", "--json"));
      summary.addRuns(full);
      java.util.List<java.time.Instant> times = new ArrayList<>(List.of(java.time.Instant.now()));
      stage(
          "extract DELTA (first: syncs and stores the delta links)",
          () -> roles.run("extract-delta-sync", "extract", "--mode", "delta", "--json"));
      times.add(java.time.Instant.now());
      Mutations mutations =
          stage(
              "changes in the tenant (Graph writes)",
              () -> Mutations.apply(new Mutator(sandbox.tenant()), options.users()));
      step("  %s", mutations.describe());
      JsonNode delta =
          stage(
              "extract DELTA: just the changes",
              () -> roles.run("extract-delta", "extract", "--mode", "delta", "--json"));
      summary.addRuns(delta);
      times.add(java.time.Instant.now());
      JsonNode transform =
          stage(
              "transform until idle",
              () -> roles.run("transform", "transform", "--until-idle", "1s", "--json"));
      JsonNode[] sinks =
          stage(
              "sinks until idle: Log Analytics, the lake's files and its Iceberg tables, side by"
                  + " side",
              () -> {
                Process la =
                    roles.start(
                        "sink-loganalytics",
                        "sink",
                        "loganalytics",
                        "--until-idle",
                        "1s",
                        "--json");
                Process lake =
                    roles.start("sink-lake", "sink", "lake", "--until-idle", "1s", "--json");
                Process iceberg =
                    roles.start(
                        "sink-iceberg",
                        Map.of(
                            "DIRPIPE_LAKE_FORMAT", "iceberg",
                            "DIRPIPE_LAKE_ROOT", data.resolve("iceberg").toString(),
                            "DIRPIPE_LAKE_GROUP", "dirpipe-iceberg"),
                        "sink",
                        "lake",
                        "--until-idle",
                        "1s",
                        "--json");
                return new JsonNode[] {
                  roles.await("sink-loganalytics", la),
                  roles.await("sink-lake", lake),
                  roles.await("sink-iceberg", iceberg)
                };
              });
      stage(
          "verify every run from the topics",
          () -> {
            verifyRuns(k, topics);
            return null;
          });
      registered(k, topics);
      count(k, topics, sandbox, before, mutations, transform, sinks, data.resolve("lake"));
      icebergTables(data.resolve("iceberg"));
      stage(
          "the topics' retention has passed: raw and change topics deleted; replay and verify from"
              + " the lake",
          () -> {
            afterRetention(k, topics, data.resolve("iceberg"), times);
            return null;
          });
    }
    if (counter != null) {
      counter.close();
    }
    summary.seconds = (System.nanoTime() - t0) / 1e9;
    return summary;
  }

  /**
   * Every public topic is in the Confluent wire format: its value schema is registered under {@code
   * <topic>-value} in the registry the roles were given.
   */
  private void registered(KafkaClients kafka, Topics topics) throws Exception {
    java.util.Set<String> subjects =
        new java.util.HashSet<>(topics.formats().registry().subjects());
    long public_ = 0;
    long withSubject = 0;
    try (var admin = kafka.admin("demo-topics")) {
      for (String t : admin.listTopics().names().get()) {
        String rest = t.startsWith(PREFIX) ? t.substring(PREFIX.length()) : "";
        if (rest.startsWith("raw.")
            || rest.startsWith("events.")
            || rest.startsWith("changes.")
            || rest.startsWith("inventory.")
            || rest.equals("runs")) {
          public_++;
          withSubject += subjects.contains(t + "-value") ? 1 : 0;
        }
      }
    }
    summary.check("public topics = topics with a registered value schema", withSubject, public_);
  }

  /**
   * The lake's Iceberg tables agree with the topics: the history tables hold one row per change
   * event of the object collections, the current tables one row per object in the inventory.
   */
  private void icebergTables(Path warehouse) throws Exception {
    long history = 0;
    long current = 0;
    var catalog = io.dirpipe.sink.iceberg.LakeCatalog.embedded(warehouse);
    for (Collection<?> c : Collection.all()) {
      if (c.isObjectCollection()) {
        history += rows(catalog, c.name() + "_history");
        current += rows(catalog, c.name() + "_current");
      }
    }
    long changes =
        summary.changes.values().stream().mapToLong(Long::longValue).sum()
            + summary.securityChanges.values().stream().mapToLong(Long::longValue).sum();
    long inventory = summary.inventory.values().stream().mapToLong(Long::longValue).sum();
    summary.lake.put("icebergHistoryRows", history);
    summary.lake.put("icebergCurrentRows", current);
    summary.check("Iceberg history rows = change events", history, changes);
    summary.check("Iceberg current rows = inventory", current, inventory);
  }

  /**
   * The lake answers alone once the topics are gone: the inventory of users and groups at three
   * times (after the FULL run, after the first delta, after the changes) replayed from the change
   * topics, then those topics and the raw ones deleted, then replayed from the history tables; and
   * every run verified from the raw tables.
   */
  private void afterRetention(
      KafkaClients kafka, Topics topics, Path warehouse, List<java.time.Instant> times)
      throws Exception {
    List<Collection<?>> collections = List.of(Collection.USERS, Collection.GROUPS);
    Map<String, Object> fromKafka = new HashMap<>();
    for (Collection<?> c : collections) {
      for (java.time.Instant t : times) {
        fromKafka.put(
            c.name() + "@" + t, io.dirpipe.transformer.audit.Replay.at(kafka, topics, c, t));
      }
    }
    try (var admin = kafka.admin("demo-retention")) {
      List<String> gone =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(PREFIX + "raw.") || t.startsWith(PREFIX + "changes."))
              .toList();
      admin.deleteTopics(gone).all().get();
      step("  %d raw and change topics deleted", gone.size());
    }
    var catalog = io.dirpipe.sink.iceberg.LakeCatalog.embedded(warehouse);
    long same = 0;
    for (Collection<?> c : collections) {
      for (java.time.Instant t : times) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> lake =
            (Map<Object, Object>) (Map<?, ?>) io.dirpipe.sink.iceberg.LakeReplay.at(catalog, c, t);
        @SuppressWarnings("unchecked")
        Map<Object, Object> kafkaAnswer = (Map<Object, Object>) fromKafka.get(c.name() + "@" + t);
        if (lake.equals(kafkaAnswer)) {
          same++;
        } else {
          Object key =
              kafkaAnswer.keySet().stream()
                  .filter(k -> !java.util.Objects.equals(kafkaAnswer.get(k), lake.get(k)))
                  .findFirst()
                  .orElse(
                      lake.keySet().stream()
                          .filter(k -> !kafkaAnswer.containsKey(k))
                          .findFirst()
                          .orElse(null));
          step(
              "  %s at %s: %d objects from the lake, %d from Kafka; first difference %s: lake %s,"
                  + " Kafka %s",
              c.name(),
              t,
              lake.size(),
              kafkaAnswer.size(),
              key,
              lake.get(key),
              kafkaAnswer.get(key));
        }
      }
    }
    summary.check(
        "replays from the lake, topics deleted = replays from Kafka before (users, groups at 3"
            + " times)",
        same,
        (long) fromKafka.size());
    long verified = 0;
    for (RunVerifier.Result r :
        RunVerifier.verifyAll(io.dirpipe.cli.LakeEvidence.of(catalog), completedRuns)) {
      verified += r.ok() ? 1 : 0;
    }
    summary.check("runs verified from the lake", verified, (long) completedRuns.size());
  }

  private static long rows(org.apache.iceberg.catalog.Catalog catalog, String table)
      throws IOException {
    var id =
        org.apache.iceberg.catalog.TableIdentifier.of(
            io.dirpipe.sink.iceberg.IcebergSink.NAMESPACE, table);
    if (!catalog.tableExists(id)) {
      return 0;
    }
    long n = 0;
    try (var it = org.apache.iceberg.data.IcebergGenerics.read(catalog.loadTable(id)).build()) {
      for (var ignored : it) {
        n++;
      }
    }
    return n;
  }

  private void verifyRuns(KafkaClients kafka, Topics topics) {
    List<String> runs = new ArrayList<>();
    TopicReader.readAll(
        kafka,
        topics.runs(),
        r -> {
          if (r.value().getType() == RunEventType.COMPLETED) {
            runs.add(r.value().getRunId());
          }
        });
    boolean all = !runs.isEmpty();
    for (RunVerifier.Result r : RunVerifier.verifyAll(kafka, topics, runs)) {
      if (!r.ok()) {
        all = false;
        step(
            "  run %s NOT verified: records %d/%d, removed %d/%d, digest %s vs %s",
            r.runId(),
            r.actualRecords(),
            r.expectedRecords(),
            r.actualRemoved(),
            r.expectedRemoved(),
            r.actualDigest(),
            r.expectedDigest());
      }
    }
    summary.verified = all;
    summary.verifiedRuns = runs.size();
    completedRuns = runs;
    step("  %d runs, %s", runs.size(), all ? "all verified" : "NOT all verified");
  }

  private void count(
      KafkaClients kafka,
      Topics topics,
      Sandbox sandbox,
      Map<String, Long> before,
      Mutations mutations,
      JsonNode transform,
      JsonNode[] sinks,
      Path lake)
      throws IOException {
    Map<String, Long> after = liveCounts(sandbox);
    for (Collection<?> c : Collection.all()) {
      if (!c.isObjectCollection()) {
        continue;
      }
      Map<Object, Boolean> live = new HashMap<>();
      TopicReader.readAll(kafka, topics.inventory(c), r -> live.put(r.key(), r.value() != null));
      summary.inventory.put(c.name(), live.values().stream().filter(v -> v).count());
      Map<String, Long> ops =
          Collection.defaults().contains(c) ? summary.changes : summary.securityChanges;
      TopicReader.readAll(
          kafka,
          topics.changes(c),
          r -> ops.merge(io.dirpipe.schemas.Envelope.op(r.value()).name(), 1L, Long::sum));
    }
    Map<io.dirpipe.schemas.EdgeKey, Boolean> liveEdges = new HashMap<>();
    TopicReader.readAll(
        kafka, topics.edgeInventory(), r -> liveEdges.put(r.key(), r.value() != null));
    for (Collection<?> c : Collection.all()) {
      if (c.isEdgeCollection()) {
        summary.edgeInventory.put(c.name(), 0L);
      }
    }
    liveEdges.forEach(
        (k, live) -> {
          if (live) {
            summary.edgeInventory.merge(k.getKind(), 1L, Long::sum);
          }
        });
    TopicReader.readAll(
        kafka,
        topics.edgeChanges(),
        r -> summary.edges.merge(r.value().getOp().name(), 1L, Long::sum));
    for (Collection<?> c : List.of(Collection.DIRECTORY_AUDITS, Collection.SIGN_INS)) {
      java.util.Set<String> ids = new java.util.HashSet<>();
      long[] published = {0};
      TopicReader.readAll(
          kafka,
          topics.raw(c),
          r -> {
            if (r.value().getKind() == io.dirpipe.schemas.ObservationKind.OBSERVED) {
              published[0]++;
              ids.add(r.value().getObjectId());
            }
          });
      summary.events.put(c.name(), published[0]);
      summary.distinctEvents.put(c.name(), (long) ids.size());
    }
    TopicReader.readAll(
        kafka,
        topics.memberships(),
        r -> summary.memberships.merge(r.value().getOp().name(), 1L, Long::sum));
    long[] runEvents = {0};
    TopicReader.readAll(kafka, topics.runs(), r -> runEvents[0]++);

    Map<String, Long> ingested = sandbox.ingested().counts();
    summary.logAnalytics.put("changes", ingested.getOrDefault("Custom-DirpipeChanges_CL", 0L));
    summary.logAnalytics.put(
        "memberships", ingested.getOrDefault("Custom-DirpipeMemberships_CL", 0L));
    summary.logAnalytics.put("edges", ingested.getOrDefault("Custom-DirpipeEdges_CL", 0L));
    summary.logAnalytics.put("events", ingested.getOrDefault("Custom-DirpipeEvents_CL", 0L));
    summary.logAnalytics.put("runs", ingested.getOrDefault("Custom-DirpipeRuns_CL", 0L));
    summary.logAnalytics.put("retries", sinks[0].path("retries").asLong());
    summary.logAnalytics.put("deadLettered", sinks[0].path("deadLettered").asLong());

    Map<String, Long> lakeRows = lakeRows(lake);
    summary.lake.put("files", sinks[1].path("files").asLong());
    summary.lake.put("rows", sinks[1].path("rows").asLong());
    summary.lake.put("changeRows", lakeRows.getOrDefault("changes", 0L));
    summary.lake.put("membershipRows", lakeRows.getOrDefault("memberships", 0L));
    summary.lake.put("edgeRows", lakeRows.getOrDefault("edges", 0L));
    summary.lake.put("rawRows", lakeRows.getOrDefault("raw", 0L));
    summary.lake.put("inventoryRows", lakeRows.getOrDefault("inventory", 0L));

    Reconciliation.check(
        new Reconciliation.Counts(
            before,
            after,
            summary.extracted,
            summary.inventory,
            summary.changes,
            summary.securityChanges,
            summary.memberships,
            summary.edges,
            summary.edgeInventory,
            summary.events,
            summary.distinctEvents,
            runEvents[0],
            mutations,
            summary.logAnalytics,
            lakeRows),
        summary);
    summary.throttling.put("throttled", summary.throttled);
    summary.throttling.put(
        "sinkRetries", sinks[0].path("retries").asLong() + sinks[1].path("retries").asLong());
    summary.transform = transform.path("collections");
  }

  /** Rows per kind of dataset (raw, changes, memberships, inventory), from the files' footers. */
  private static Map<String, Long> lakeRows(Path lake) throws IOException {
    Map<String, Long> rows = new TreeMap<>();
    if (!Files.isDirectory(lake)) {
      return rows;
    }
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String rel = lake.relativize(f).toString();
        if (!rel.endsWith(".parquet") || rel.startsWith("_scratch")) {
          continue;
        }
        String dataset = rel.substring(0, rel.indexOf('/'));
        String kind =
            dataset.equals("changes.memberships")
                ? "memberships"
                : dataset.equals("changes.edges")
                    ? "edges"
                    : dataset.substring(0, dataset.indexOf('.'));
        rows.merge(kind, ParquetFiles.count(f), Long::sum);
      }
    }
    return rows;
  }

  /** What the tenant holds of every collection: objects, or edges for edge collections. */
  private static Map<String, Long> liveCounts(Sandbox sandbox) {
    Map<String, Long> counts = new HashMap<>();
    for (Collection<?> c : Collection.all()) {
      Long n = sandbox.tenant().count(c.name());
      if (n != null) {
        counts.put(c.name(), n);
      }
    }
    return counts;
  }

  private interface Work<T> {
    T run() throws Exception;
  }

  private <T> T stage(String name, Work<T> work) throws Exception {
    step("▶ %s", name);
    long t0 = System.nanoTime();
    Thread ticker = counter == null ? null : ticker(t0);
    T result;
    try {
      result = work.run();
    } finally {
      if (ticker != null) {
        ticker.interrupt();
        ticker.join();
        progress.print("\r" + " ".repeat(72) + "\r");
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    summary.stages.put(name, s);
    step("  done in %.1f s", s);
    return result;
  }

  /** On a terminal: one line, rewritten every second, with the time and the records so far. */
  private Thread ticker(long t0) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  Thread.sleep(1000);
                  progress.printf(
                      java.util.Locale.ROOT,
                      "\r  … %.0f s, %,d records in the topics",
                      (System.nanoTime() - t0) / 1e9,
                      counter.records());
                  progress.flush();
                }
              } catch (InterruptedException done) {
                // the stage ended
              }
            },
            "demo-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void step(String format, Object... args) {
    progress.printf(java.util.Locale.ROOT, format + "%n", args);
    progress.flush();
  }
}
