package io.dirpipe.cli.run;

import io.dirpipe.cli.observe.ExtractMetrics;
import io.dirpipe.cli.observe.RoleHealth;
import io.dirpipe.cli.observe.RoleMeters;
import io.dirpipe.core.Repeat;
import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.extractor.Extractor;
import io.dirpipe.extractor.ExtractorConfig;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.identity.credential.Credentials;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.transformer.Transformer;
import io.dirpipe.transformer.TransformerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every role in one process, for a small deployment: DELTA extraction every {@code run.interval}
 * (the first syncs everything), the transformer, and the sinks, each on its own thread, with their
 * counters in one meter registry. {@link #stop} ends them in order: the extractor finishes its run
 * (or, after {@code run.grace}, is interrupted: its open transaction aborts and the next start
 * resumes from the checkpoint), the sinks deliver and commit what they hold, the transformer
 * commits its transaction.
 */
public final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final RunConfig run;
  private final Map<String, Object> values;
  private final MeterRegistry registry;
  private final ExtractMetrics extractMetrics;
  private final RoleHealth failures = new RoleHealth();
  private Repeat extractions;
  private final List<Thread> threads = new ArrayList<>();
  private final List<SinkRunner> sinks = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Thread extractThread;
  private Transformer transformer;
  private volatile boolean stopping;

  public Pipeline(Map<String, Object> values, MeterRegistry registry) {
    this.values = values;
    this.run = new RunConfig(values);
    this.registry = registry;
    this.extractMetrics = new ExtractMetrics(registry, Time.SYSTEM);
  }

  /** Starts the configured roles. */
  public void start() {
    TopicsConfig kafkaConfig = io.dirpipe.cli.KafkaWiring.config(values);
    KafkaClients kafka = kafkaConfig.clients();
    Topics topics = kafkaConfig.topics();
    List<String> roles = run.roles();
    if (roles.contains("extract")) {
      startExtract(kafka, topics);
    }
    if (roles.contains("transform")) {
      transformer = new Transformer(new TransformerConfig(values), kafka, topics);
      transformer.start();
      RoleMeters.transformer(registry, transformer, new TransformerConfig(values));
    }
    for (String sink : List.of("lake", "loganalytics")) {
      if (roles.contains(sink)) {
        startSink(sink);
      }
    }
  }

  private void startExtract(KafkaClients kafka, Topics topics) {
    Map<String, Object> settings = new HashMap<>(values);
    settings.put(ExtractorConfig.MODE, "delta");
    IdentityConfig identity = new IdentityConfig(values);
    ExtractorConfig config = new ExtractorConfig(settings);
    CachingCredential credential = Credentials.build(identity);
    extractMetrics.quota(identity.tenantId(), config.getInt(ExtractorConfig.QUOTA));
    extractMetrics.token(identity.tenantId(), credential);
    Extractor extractor =
        new Extractor(config, identity.tenantId(), identity.graphUrl(), credential, kafka, topics)
            .trusting(Credentials.trustManager(identity));
    Repeat repeat = new Repeat(Time.SYSTEM, run.interval());
    extractions = repeat;
    extractThread =
        new Thread(
            () -> {
              try {
                repeat.run(
                    () -> {
                      for (RunSummary r : extractor.runOnce()) {
                        record(r);
                      }
                    });
              } catch (InterruptedException e) {
                log.info("Extraction interrupted; the next start resumes from the checkpoints");
              } catch (Exception e) {
                failures.failed("extract");
                log.error("Extraction stopped", e);
              }
            },
            "run-extract");
    extractThread.start();
  }

  private void record(RunSummary r) {
    String c = r.collection();
    extractMetrics.record(r);
    if (!r.status().equals("completed")) {
      failures.failed("extract " + c);
      log.warn("Extraction of {} failed: {}", c, r.error());
      return;
    }
    failures.recovered("extract " + c);
  }

  private void startSink(String kind) {
    Sinks.Wired sink = Sinks.wire(kind, values);
    closeables.add(sink);
    sinks.add(sink.runner());
    RoleMeters.sink(registry, kind, sink.stats());
    Thread t =
        new Thread(
            () -> {
              try {
                sink.runner().run(null);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failures.failed(kind);
                log.error("Sink {} stopped", kind, e);
              } finally {
                sink.runner().close();
              }
            },
            "run-" + kind);
    threads.add(t);
    t.start();
  }

  /** Null when every role's threads work; otherwise the roles that stopped (liveness). */
  public String stopped() {
    RoleHealth now = new RoleHealth();
    if (transformer != null && transformer.problem() != null) {
      now.stopped("transform");
    }
    if (extractThread != null && !extractThread.isAlive() && !extractions.stopped()) {
      now.stopped("extract");
    }
    for (Thread t : threads) {
      if (!t.isAlive() && !stopping) {
        now.stopped(t.getName().substring("run-".length()));
      }
    }
    return now.problem();
  }

  /**
   * Null when every role's last run or delivery succeeded; otherwise what failed. A stopped role is
   * {@link #stopped}'s (the readiness answer includes liveness).
   */
  public String health() {
    return failures.problem();
  }

  /** Stops every role in order; returns when they have. */
  public void stop() throws InterruptedException {
    stopping = true;
    if (extractions != null) {
      extractions.stop();
    }
    if (extractThread != null) {
      extractThread.join(run.grace().toMillis());
      if (extractThread.isAlive()) {
        log.info("Extraction still running after {}: interrupting it", run.grace());
        extractThread.interrupt();
        extractThread.join();
      }
    }
    sinks.forEach(SinkRunner::stop);
    for (Thread t : threads) {
      t.join();
    }
    if (transformer != null) {
      transformer.close();
    }
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("close: {}", e.toString());
      }
    }
  }
}
