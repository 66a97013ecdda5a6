package io.dirpipe.bench;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import io.dirpipe.sink.iceberg.IcebergSink;
import io.dirpipe.sink.iceberg.LakeCatalog;
import io.dirpipe.sink.lake.LakeSink;
import io.dirpipe.sink.lake.LocalLakeStore;
import io.dirpipe.sink.loganalytics.LogAnalyticsSink;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code dirpipe bench sink}: change events into the lake (local folder) and into Log Analytics
 * (the sandbox's Logs Ingestion API), each beside its limit or naive baseline in the same run.
 */
public final class SinkBench implements AutoCloseable {
  /** One measured line. */
  public record Figure(String what, long events, long rows, double seconds) {
    /** Change events handled a second. */
    public double perSecond() {
      return events / seconds;
    }

    /** Rows written a second (the Iceberg sink writes two an event: history and current). */
    public double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /** A tenant id as Entra's are (the lake sink dead-letters records of any other). */
  static final String TENANT = "b3c9a1d0-5e2f-4a6b-8c7d-0e1f2a3b4c5d";

  private final LocalKafka kafka = LocalKafka.start();

  private KafkaClients kafkaProps() {
    return kafka.clients();
  }

  /** The lake: dirpipe's sink beside reading and decoding the same topic with no writes. */
  public List<Figure> lake(int events) throws Exception {
    Topics topics = topics();
    publish(topics, TENANT, events);
    List<Figure> figures = new ArrayList<>();
    figures.add(readLimit(topics, events));
    Path root = Files.createTempDirectory("dirpipe-bench-lake");
    Map<String, Object> settings = new HashMap<>();
    settings.put(SinkConfig.LAKE_ROOT, root.toString());
    settings.put(SinkConfig.LAKE_DATASETS, "changes");
    settings.put(SinkConfig.SINK_COLLECTIONS, "users");
    SinkConfig config = new SinkConfig(settings);
    // warm-up (JIT), not reported
    lakeRun(config, topics, Files.createTempDirectory("dirpipe-bench-lake-warmup"), events);
    SinkStats stats = new SinkStats();
    try (DeadLetters dlq = new DeadLetters(kafkaProps(), topics.deadLetters("lake"), stats)) {
      LakeSink sink =
          new LakeSink(
              config, topics, new LocalLakeStore(root), kafkaProps(), dlq, stats, Time.SYSTEM);
      figures.add(
          run(
              "dirpipe sink lake (Parquet snappy, local folder, commit after rename)",
              sink,
              sink.topics().stream().map(Topic::name).toList(),
              stats,
              events));
    }
    // the same events into Iceberg tables (users_history and users_current), after a warm-up
    for (int round = 0; round < 2; round++) {
      SinkStats iceberg = new SinkStats();
      Path warehouse = Files.createTempDirectory("dirpipe-bench-iceberg");
      try (DeadLetters dlq = new DeadLetters(kafkaProps(), topics.deadLetters("lake"), iceberg)) {
        IcebergSink sink =
            new IcebergSink(
                LakeCatalog.embedded(warehouse),
                topics,
                List.of(Collection.USERS),
                java.util.Set.of("changes"),
                "bench-iceberg",
                Duration.ofSeconds(10),
                dlq,
                iceberg,
                Time.SYSTEM);
        Figure f =
            run(
                "dirpipe sink lake, lake.format iceberg (history SCD2 + current, commit 10 s)",
                sink,
                sink.topics().stream().map(Topic::name).toList(),
                iceberg,
                events);
        if (round == 1) {
          figures.add(f);
        }
      }
    }
    return figures;
  }

  private void lakeRun(SinkConfig config, Topics topics, Path root, int events) throws Exception {
    SinkStats stats = new SinkStats();
    try (DeadLetters dlq = new DeadLetters(kafkaProps(), topics.deadLetters("lake"), stats)) {
      LakeSink sink =
          new LakeSink(
              config, topics, new LocalLakeStore(root), kafkaProps(), dlq, stats, Time.SYSTEM);
      run("warm-up", sink, sink.topics().stream().map(Topic::name).toList(), stats, events);
    }
  }

  /**
   * Log Analytics: dirpipe's sink beside the naive way (rows as maps through the client's default
   * serializer, one batch at a time).
   */
  public List<Figure> logAnalytics(int events) throws Exception {
    try (Sandbox sandbox = ExtractBench.unthrottledSandbox(10)) {
      Topics topics = topics();
      String tenant = sandbox.tenant().tenantId();
      publish(topics, tenant, events);
      var credential = ExtractBench.credential(sandbox);
      var http =
          new JdkHttpClientBuilder(HttpClient.newBuilder().sslContext(sandbox.clientTls())).build();
      List<Figure> figures = new ArrayList<>();
      figures.add(naive(sandbox, topics, credential, http, events));
      Map<String, Object> settings = new HashMap<>();
      settings.put(SinkConfig.LOGS_ENDPOINT, sandbox.httpsUrl());
      settings.put(SinkConfig.LOGS_RULE_ID, sandbox.dataCollectionRule());
      settings.put(SinkConfig.LOGS_SOURCES, "changes");
      settings.put(SinkConfig.SINK_COLLECTIONS, "users");
      for (int round = 0; round < 2; round++) { // the first warms up (JIT), not reported
        sandbox.ingested().clear();
        SinkStats stats = new SinkStats();
        try (DeadLetters dlq =
            new DeadLetters(kafkaProps(), topics.deadLetters("loganalytics"), stats)) {
          LogAnalyticsSink sink =
              LogAnalyticsSink.create(
                  new SinkConfig(settings), credential, http, topics, dlq, stats, Time.SYSTEM);
          Figure f =
              run(
                  "dirpipe sink loganalytics (pre-rendered rows, concurrent batches)",
                  sink,
                  sink.topics().stream().map(Topic::name).toList(),
                  stats,
                  events);
          if (round == 1) {
            figures.add(f);
          }
        }
      }
      return figures;
    }
  }

  private Figure naive(
      Sandbox sandbox,
      Topics topics,
      com.azure.core.credential.TokenCredential credential,
      com.azure.core.http.HttpClient http,
      int events) {
    LogsIngestionClient client =
        new LogsIngestionClientBuilder()
            .endpoint(sandbox.httpsUrl())
            .credential(credential)
            .httpClient(http)
            .buildClient();
    ObjectMapper json = new ObjectMapper();
    long t0 = System.nanoTime();
    List<Object> batch = new ArrayList<>();
    AtomicLong sent = new AtomicLong();
    TopicReader.readAll(
        kafkaProps(),
        topics.changes(Collection.USERS),
        r -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("TimeGenerated", io.dirpipe.schemas.Envelope.ts(r.value()).toString());
          row.put("TenantId", r.key().getTenantId());
          row.put("ObjectId", r.key().getObjectId());
          row.put("Operation", io.dirpipe.schemas.Envelope.op(r.value()).name());
          row.put("ChangedFields", r.value().getChangedFields());
          row.put("RunId", r.value().getSource().getRunId());
          row.put("EventId", r.topic() + "/" + r.partition() + "/" + r.offset());
          try {
            row.put("Before", json.readValue(r.value().getBefore().toString(), Map.class));
            row.put("After", json.readValue(r.value().getAfter().toString(), Map.class));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          batch.add(row);
          if (batch.size() == 500) {
            client.upload(sandbox.dataCollectionRule(), "Custom-DirpipeChanges_CL", batch);
            sent.addAndGet(batch.size());
            batch.clear();
          }
        });
    if (!batch.isEmpty()) {
      client.upload(sandbox.dataCollectionRule(), "Custom-DirpipeChanges_CL", batch);
      sent.addAndGet(batch.size());
    }
    return new Figure(
        "baseline: the same rows as maps, the client's default serializer, 500 a call",
        sent.get(),
        sent.get(),
        (System.nanoTime() - t0) / 1e9);
  }

  private Figure run(
      String what, SinkRunner.Delivery sink, List<String> inputs, SinkStats stats, int events)
      throws Exception {
    SinkRunner runner =
        new SinkRunner(
            kafkaProps(), "bench-" + UUID.randomUUID(), inputs, sink, stats, Time.SYSTEM);
    long[] firstAndLast = new long[2];
    Thread watch =
        new Thread(
            () -> {
              try {
                while (stats.records.sum() == 0) {
                  Thread.sleep(5);
                }
                firstAndLast[0] = System.nanoTime();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    watch.start();
    runner.run(Duration.ofMillis(500));
    firstAndLast[1] = System.nanoTime();
    runner.close();
    watch.join();
    if (stats.deadLettered.sum() > 0) {
      throw new IllegalStateException(
          what
              + ": "
              + stats.deadLettered.sum()
              + " records dead-lettered; the figure would be"
              + " of failures");
    }
    // the idle wait at the end is not work
    double seconds = (firstAndLast[1] - firstAndLast[0]) / 1e9 - 0.5;
    return new Figure(what, stats.records.sum(), stats.rows.sum(), seconds);
  }

  private Figure readLimit(Topics topics, int events) {
    long t0 = System.nanoTime();
    AtomicLong n = new AtomicLong();
    TopicReader.readAll(kafkaProps(), topics.changes(Collection.USERS), r -> n.incrementAndGet());
    return new Figure(
        "limit: the same topic read and decoded, nothing written",
        n.get(),
        0,
        (System.nanoTime() - t0) / 1e9);
  }

  private static Topics topics() {
    return new Topics("bs" + UUID.randomUUID().toString().substring(0, 6) + ".");
  }

  private void publish(Topics topics, String tenant, int events) throws Exception {
    Topic<ObjectKey, Change> t = topics.changes(Collection.USERS);
    TopicSetup.ensure(kafkaProps(), List.of(t), io.dirpipe.schemas.TopicLayout.DEFAULT);
    ClientSettings config =
        ClientSettings.of("bench-publish")
            .withDefault(ProducerConfig.LINGER_MS_CONFIG, 20)
            .withDefault(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    Instant now = Instant.now();
    try (Producer<ObjectKey, Change> p =
        kafkaProps().producer(config, t.keySerde().serializer(), t.valueSerde().serializer())) {
      for (int i = 0; i < events; i++) {
        String id = String.format("%08x-0000-4000-8000-%012x", i, i);
        User before =
            User.newBuilder()
                .setId(id)
                .setDisplayName("User " + i)
                .setUserPrincipalName("user" + i + "@bench.example")
                .setMail("user" + i + "@bench.example")
                .setJobTitle("Engineer " + (i % 40))
                .setDepartment("Sales")
                .setAccountEnabled(true)
                .setCreatedDateTime(Instant.ofEpochSecond(1_600_000_000L + i))
                .build();
        User after = User.newBuilder(before).setDepartment("Ops").build();
        p.send(
            new ProducerRecord<>(
                t.name(),
                new ObjectKey(tenant, id),
                Envelope.change(
                    Operation.UPDATE,
                    before,
                    after,
                    List.of("department"),
                    null,
                    Envelope.source(tenant, "users", "bench", Mode.DELTA, now),
                    now)));
      }
    }
  }

  @Override
  public void close() {
    kafka.close();
  }
}
