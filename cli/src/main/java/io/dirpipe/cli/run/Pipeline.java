package io.dirpipe.cli.run;

import io.dirpipe.core.Repeat;
import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.extractor.Extractor;
import io.dirpipe.extractor.ExtractorConfig;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.Credentials;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import io.dirpipe.transformer.Transformer;
import io.dirpipe.transformer.TransformerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
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
  private final RoleHealth failures = new RoleHealth();
  private Repeat extractions;
  private final List<Thread> threads = new ArrayList<>();
  private final List<SinkRunner> sinks = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Thread extractThread;
  private Transformer transformer;

  public Pipeline(Map<String, Object> values, MeterRegistry registry) {
    this.values = values;
    this.run = new RunConfig(values);
    this.registry = registry;
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
      registerTransformMetrics();
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
    Extractor extractor =
        new Extractor(
            new ExtractorConfig(settings),
            identity.tenantId(),
            identity.graphUrl(),
            Credentials.build(identity),
            kafka,
            topics);
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
    registry.counter("dirpipe.extract.runs", "collection", c, "status", r.status()).increment();
    if (!r.status().equals("completed")) {
      failures.failed("extract " + c);
      log.warn("Extraction of {} failed: {}", c, r.error());
      return;
    }
    failures.recovered("extract " + c);
    count("dirpipe.extract.records", c, r.records(), "Objects observed.");
    count("dirpipe.extract.removed", c, r.removed(), "Objects reported removed.");
    count("dirpipe.extract.pages", c, r.pages(), "Pages committed.");
    count("dirpipe.extract.requests", c, r.requests(), "Graph requests sent.");
    count("dirpipe.extract.throttled", c, r.throttled(), "Graph requests answered 429.");
    count("dirpipe.extract.resource.units", c, r.resourceUnits(), "Graph resource units used.");
  }

  private void count(String name, String collection, long n, String description) {
    Counter.builder(name)
        .description(description)
        .tag("collection", collection)
        .register(registry)
        .increment(n);
  }

  private void registerTransformMetrics() {
    for (Collection<?> c : new TransformerConfig(values).collections()) {
      List<String> ops =
          c.isObjectCollection() ? List.of("CREATE", "UPDATE", "DELETE") : List.of("ADD", "REMOVE");
      fn("dirpipe.transform.input", c.name(), null, "Observations processed.", "input");
      for (String op : ops) {
        fn("dirpipe.transform.events", c.name(), op, "Change events emitted.", op);
      }
    }
  }

  private void fn(String name, String collection, String op, String description, String key) {
    FunctionCounter.Builder<Transformer> b =
        FunctionCounter.builder(
                name,
                transformer,
                t -> t.stats().snapshot().getOrDefault(collection, Map.of()).getOrDefault(key, 0L))
            .description(description)
            .tag("collection", collection);
    if (op != null) {
      b.tag("op", op);
    }
    b.register(registry);
  }

  private void startSink(String kind) {
    Sinks.Wired sink = Sinks.wire(kind, values);
    closeables.add(sink);
    sinks.add(sink.runner());
    registerSinkMetrics(kind, sink.stats());
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

  private void registerSinkMetrics(String kind, SinkStats stats) {
    Map<String, Function<SinkStats, LongAdder>> fields =
        Map.of(
            "dirpipe.sink.records", s -> s.records,
            "dirpipe.sink.rows", s -> s.rows,
            "dirpipe.sink.bytes", s -> s.bytes,
            "dirpipe.sink.batches", s -> s.batches,
            "dirpipe.sink.files", s -> s.files,
            "dirpipe.sink.retries", s -> s.retries,
            "dirpipe.sink.dead.lettered", s -> s.deadLettered);
    fields.forEach(
        (name, field) ->
            FunctionCounter.builder(name, stats, s -> field.apply(s).sum())
                .tag("sink", kind)
                .register(registry));
  }

  /** Null when every role runs; otherwise what failed. */
  public String health() {
    RoleHealth now = failures.copy();
    if (transformer != null && transformer.problem() != null) {
      now.stopped("transform");
    }
    if (extractThread != null && !extractThread.isAlive() && !extractions.stopped()) {
      now.stopped("extract");
    }
    return now.problem();
  }

  /** Stops every role in order; returns when they have. */
  public void stop() throws InterruptedException {
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
