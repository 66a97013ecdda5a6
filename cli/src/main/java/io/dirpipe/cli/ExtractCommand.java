package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.cli.config.LoadedConfig;
import io.dirpipe.cli.observe.ConsumerLag;
import io.dirpipe.cli.observe.ExtractMetrics;
import io.dirpipe.cli.observe.MetricsServer;
import io.dirpipe.cli.observe.Observability;
import io.dirpipe.cli.observe.RoleHealth;
import io.dirpipe.core.Repeat;
import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.extractor.Extractor;
import io.dirpipe.extractor.ExtractorConfig;
import io.dirpipe.extractor.Worker;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.identity.credential.Credentials;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe extract}: collections of the tenant into the raw topics, exactly once. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Extracts Graph collections into the raw topics: FULL pages every object, DELTA follows the stored"
          + " deltaLink. One Kafka transaction per page with its checkpoint: a killed extractor resumes with"
          + " nothing lost or doubled.",
      "Exit code 0 when every run completed."
    })
final class ExtractCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--collections",
      split = ",",
      paramLabel = "C",
      description = "Collections (default: extract.collections, all).")
  List<String> collections;

  @Option(
      names = "--mode",
      paramLabel = "full|delta",
      description = "Run mode (default: extract.mode, full).")
  String mode;

  @Option(
      names = "--follow",
      description =
          "Run DELTA again every --interval until Ctrl-C or SIGTERM (the near-real-time feed).")
  boolean follow;

  @Option(
      names = "--interval",
      paramLabel = "D",
      defaultValue = "PT5M",
      description =
          "Pause between --follow runs, ISO-8601 (PT5S, PT5M; default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--json", description = "Print the run summaries as one JSON object.")
  boolean json;

  @Option(
      names = "--worker",
      description =
          "Join the extraction workers: take tasks from the tasks topic (dirpipe task ...) until Ctrl-C or SIGTERM. Each tenant's tasks go to one worker, which owns that tenant's quota.")
  boolean worker;

  @Option(
      names = "--group",
      paramLabel = "ID",
      defaultValue = Worker.DEFAULT_GROUP,
      description = "Consumer group of --worker (default: ${DEFAULT-VALUE}).")
  String group;

  @Override
  public Integer call() throws Exception {
    Map<String, String> options = new HashMap<>();
    if (collections != null) {
      options.put("DIRPIPE_EXTRACT_COLLECTIONS", String.join(",", collections));
    }
    if (mode != null) {
      options.put("DIRPIPE_EXTRACT_MODE", mode.toLowerCase(Locale.ROOT));
    }
    if (follow) {
      options.put("DIRPIPE_EXTRACT_MODE", "delta");
    }
    LoadedConfig loaded = config.load(options);
    ExtractorConfig extract = new ExtractorConfig(loaded.values());
    IdentityConfig identity = new IdentityConfig(loaded.values());
    TopicsConfig kafka = KafkaWiring.config(loaded.values());
    if (worker) {
      return work(loaded, extract, kafka);
    }
    CachingCredential credential = Credentials.build(identity);
    Extractor extractor =
        new Extractor(
                extract,
                identity.tenantId(),
                identity.graphUrl(),
                credential,
                kafka.clients(),
                kafka.topics())
            .trusting(Credentials.trustManager(identity));
    Repeat repeat = new Repeat(Time.SYSTEM, follow ? interval : null);
    boolean[] ok = {true};
    try (Observability observe = new Observability("extract", loaded.values(), null)) {
      ExtractMetrics metrics = new ExtractMetrics(observe.registry(), Time.SYSTEM);
      RoleHealth health = new RoleHealth();
      if (follow) {
        Shutdown.onSignals().then(repeat::stop);
        metrics.quota(identity.tenantId(), extract.getInt(ExtractorConfig.QUOTA));
        metrics.token(identity.tenantId(), credential);
        observe.serve(MetricsServer.Health.readyWhen(health::problem));
      }
      repeat.run(
          () -> {
            List<RunSummary> runs;
            try (AutoCloseable progress = ProgressLine.onTerminal(json, extractor::progress)) {
              runs = extractor.runOnce();
            }
            runs.forEach(metrics::record);
            health.update(runs);
            print(runs);
            ok[0] = runs.stream().allMatch(r -> r.status().equals("completed"));
          });
    }
    return ok[0] ? Main.OK : Main.FAILURE;
  }

  private int work(LoadedConfig loaded, ExtractorConfig extract, TopicsConfig kafka)
      throws InterruptedException {
    Shutdown shutdown = Shutdown.onSignals();
    Observability observe = new Observability("worker", loaded.values(), null);
    ExtractMetrics metrics = new ExtractMetrics(observe.registry(), Time.SYSTEM);
    RoleHealth health = new RoleHealth();
    Worker w =
        new Worker(
            tenant -> {
              IdentityConfig identity = IdentityConfig.forTenant(loaded.values(), tenant);
              CachingCredential credential = Credentials.build(identity);
              metrics.quota(tenant, extract.getInt(ExtractorConfig.QUOTA));
              metrics.token(tenant, credential);
              return new Extractor(
                      extract,
                      tenant,
                      identity.graphUrl(),
                      credential,
                      kafka.clients(),
                      kafka.topics())
                  .trusting(Credentials.trustManager(identity));
            },
            kafka.clients(),
            kafka.topics(),
            group,
            runs -> {
              runs.forEach(metrics::record);
              health.update(runs);
              try {
                if (!runs.isEmpty()) {
                  print(runs);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    observe.own(
        new ConsumerLag(
            observe.registry(),
            kafka.clients(),
            group,
            List.of(kafka.topics().tasks().name()),
            Time.SYSTEM));
    observe.serve(
        MetricsServer.Health.readyWhen(
            () -> w.polling() ? health.problem() : "worker not yet in its group"));
    Thread stopper =
        new Thread(
            () -> {
              try {
                shutdown.await();
                w.close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "worker-shutdown");
    stopper.setDaemon(true);
    stopper.start();
    try (observe) {
      w.run();
    }
    return Main.OK;
  }

  /**
   * The old generation's peak occupancy in MB: what the process held long enough to promote (live
   * data and whatever garbage grew old first), the figure that grows with a tenant's size if
   * anything does.
   */
  static long peakOldGenMb() {
    long bytes = 0;
    for (java.lang.management.MemoryPoolMXBean pool :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      String name = pool.getName();
      if (pool.getType() == java.lang.management.MemoryType.HEAP
          && (name.contains("Old") || name.contains("Tenured"))) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / (1024 * 1024);
  }

  private void print(List<RunSummary> runs) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      // a fixed field order (Map.of's changes from one JVM to the next): "runs" first
      Map<String, Object> summary = new java.util.LinkedHashMap<>();
      summary.put("runs", runs);
      summary.put("peakOldGenMb", peakOldGenMb());
      out.println(new ObjectMapper().writeValueAsString(summary));
      return;
    }
    out.printf(
        "%-18s %-6s %9s %8s %6s %8s %6s %8s %7s  %s%n",
        "collection",
        "mode",
        "records",
        "removed",
        "pages",
        "requests",
        "429s",
        "RU",
        "seconds",
        "run / digest");
    for (RunSummary r : runs) {
      if (!r.status().equals("completed")) {
        out.printf("%-18s FAILED: %s%n", r.collection(), r.error());
        continue;
      }
      out.printf(
          Locale.ROOT,
          "%-18s %-6s %9d %8d %6d %8d %6d %8d %7.1f  %s %s%n",
          r.collection(),
          r.mode(),
          r.records(),
          r.removed(),
          r.pages(),
          r.requests(),
          r.throttled(),
          r.resourceUnits(),
          r.seconds(),
          r.runId(),
          r.digest());
    }
    out.flush();
  }
}
