package io.dirpipe.bench;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.extractor.Extractor;
import io.dirpipe.extractor.ExtractorConfig;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.extractor.graph.GraphTransport;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.Audience;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code dirpipe bench extract}: extraction throughput beside the naive baseline and the limits.
 */
public final class ExtractBench implements AutoCloseable {
  /** One measured line. */
  public record Figure(String what, long objects, double seconds) {
    public double perSecond() {
      return objects / seconds;
    }
  }

  /** Throttled figures: resource units used against what the quota allowed, and 429s. */
  public record Throttled(
      long groups,
      long requests,
      long throttled,
      long resourceUnits,
      double seconds,
      long allowedUnits) {}

  /** Peak heap of extracting a small and a large tenant. */
  public record Memory(int smallUsers, long smallPeakBytes, int largeUsers, long largePeakBytes) {}

  private final LocalKafka kafka = LocalKafka.start();

  public List<Figure> unthrottled(int users) throws Exception {
    measure(Math.max(1_000, users / 10)); // warm-up of every path (JIT), not reported
    return measure(users);
  }

  /** Only dirpipe's figure, no baseline or limits (for profiling). */
  public Figure unthrottledOnce(int users) throws Exception {
    try (Sandbox sandbox = unthrottledSandbox(users)) {
      return dirpipe(sandbox, credential(sandbox), Map.of("extract.collections", "users"));
    }
  }

  private List<Figure> measure(int users) throws Exception {

    try (Sandbox sandbox = unthrottledSandbox(users)) {
      CachingCredential credential = credential(sandbox);
      List<Figure> figures = new ArrayList<>();
      figures.add(baseline(sandbox, credential, users));
      List<Observation> parsed = new ArrayList<>(users);
      figures.add(graphOnly(sandbox, credential, parsed));
      figures.add(kafkaOnly(parsed));
      parsed.clear();
      figures.add(dirpipe(sandbox, credential, Map.of("extract.collections", "users")));
      return figures;
    }
  }

  /**
   * The naive way: the SDK's typed models and PageIterator, and a KafkaProducer with its defaults.
   */
  private Figure baseline(Sandbox sandbox, CachingCredential credential, int users)
      throws Exception {
    GraphServiceClient graph =
        new GraphServiceClient(
            new AzureIdentityAuthenticationProvider(
                credential, new String[] {"127.0.0.1"}, Audience.GRAPH.scope()));
    graph.getRequestAdapter().setBaseUrl(sandbox.url() + "/v1.0");
    String topic = "bench.baseline." + UUID.randomUUID();
    AtomicLong sent = new AtomicLong();
    long t0 = System.nanoTime();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      NaiveExtract.eachUser(
          graph,
          CollectionSpec.of(Collection.USERS, null).select().toArray(String[]::new),
          u -> {
            producer.send(
                new ProducerRecord<>(
                    topic,
                    u.getId(),
                    u.getId()
                        + ","
                        + u.getDisplayName()
                        + ","
                        + u.getUserPrincipalName()
                        + ","
                        + u.getAccountEnabled()));
            sent.incrementAndGet();
          });
      producer.flush();
    }
    return new Figure(
        "baseline: SDK PageIterator + KafkaProducer defaults", sent.get(), seconds(t0));
  }

  /** Limit 1: pages read and parsed into Avro as dirpipe does, no Kafka. */
  private Figure graphOnly(Sandbox sandbox, CachingCredential credential, List<Observation> keep) {
    GraphTransport transport = new GraphTransport(sandbox.url(), credential, true);
    PageReader reader = new PageReader(Collection.USERS.entitySchema());
    String url = CollectionSpec.of(Collection.USERS, null).fullUrl(sandbox.url() + "/v1.0", 999);
    long t0 = System.nanoTime();
    long n = 0;
    Instant at = Instant.now();
    while (url != null) {
      Page page = transport.get(url, reader, Map.of());
      for (Page.Item item : page.items()) {
        keep.add(
            new Observation(
                sandbox.tenant().tenantId(),
                "users",
                item.id(),
                "bench",
                Mode.FULL,
                1,
                at,
                ObservationKind.OBSERVED,
                null,
                item.entity(),
                null,
                false));
        n++;
      }
      url = page.nextLink();
    }
    return new Figure("limit: Graph pages read and parsed, no Kafka", n, seconds(t0));
  }

  /** Limit 2: the same records through a tuned producer, no Graph. */
  private Figure kafkaOnly(List<Observation> records) {
    Topic<ObjectKey, Observation> raw =
        new Topics("bench." + UUID.randomUUID().toString().substring(0, 6) + ".")
            .raw(Collection.USERS);
    ClientSettings tuned =
        ClientSettings.of("bench-limit")
            .withDefault(ProducerConfig.LINGER_MS_CONFIG, 5)
            .withDefault(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)
            .withDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
            .withDefault(ProducerConfig.ACKS_CONFIG, "all");
    long t0 = System.nanoTime();
    try (Producer<byte[], byte[]> producer =
        kafka.clients().producer(tuned, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Observation o : records) {
        producer.send(
            new ProducerRecord<>(
                raw.name(),
                raw.keySerde()
                    .serializer()
                    .serialize(raw.name(), new ObjectKey(o.getTenantId(), o.getObjectId())),
                raw.valueSerde().serializer().serialize(raw.name(), o)));
      }
      producer.flush();
    }
    return new Figure(
        "limit: same Avro records, producer only, no Graph", records.size(), seconds(t0));
  }

  private Figure dirpipe(
      Sandbox sandbox, CachingCredential credential, Map<String, Object> settings)
      throws Exception {
    Topics topics = new Topics("bench." + UUID.randomUUID().toString().substring(0, 6) + ".");
    Extractor extractor =
        new Extractor(
            new ExtractorConfig(settings),
            sandbox.tenant().tenantId(),
            sandbox.url(),
            credential,
            kafka.clients(),
            topics);
    long t0 = System.nanoTime();
    RunSummary run = extractor.runOnce().get(0);
    if (!run.status().equals("completed")) {
      throw new IllegalStateException("extraction failed: " + run.error());
    }
    return new Figure(
        "dirpipe extract (transactions, checkpoints, digest)", run.records(), seconds(t0));
  }

  /** Group memberships of many small groups at the large-tenant quota: RU-bound. */
  public Throttled throttled(int groups) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(
            new Sandbox.Options(
                0,
                0,
                new Tenant.Spec(7, 10, groups, 0, 3),
                List.of("Directory.Read.All"),
                Throttle.Quota.LARGE))) {
      Topics topics = new Topics("bench." + UUID.randomUUID().toString().substring(0, 6) + ".");
      Extractor extractor =
          new Extractor(
              new ExtractorConfig(
                  Map.of("extract.collections", "groupMembers", "extract.quota", "8000")),
              sandbox.tenant().tenantId(),
              sandbox.url(),
              credential(sandbox),
              kafka.clients(),
              topics);
      long t0 = System.nanoTime();
      RunSummary run = extractor.runOnce().get(0);
      double s = seconds(t0);
      long allowed = 8_000 + Math.round(800 * s);
      return new Throttled(
          groups, run.requests(), run.throttled(), run.resourceUnits(), s, allowed);
    }
  }

  public Memory memory(int small, int large) throws Exception {
    return new Memory(small, peakHeap(small), large, peakHeap(large));
  }

  /**
   * The largest heap in use right after a collection while extracting: the live set, which is what
   * grows with the tenant if anything is held (peak usage between collections only measures the
   * GC's laziness).
   */
  private long peakHeap(int users) throws Exception {
    System.gc();
    List<MemoryPoolMXBean> heap =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
            .toList();
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(
                    heap.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum(),
                    Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    try (Sandbox sandbox = unthrottledSandbox(users)) {
      dirpipe(sandbox, credential(sandbox), Map.of("extract.collections", "users"));
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    return peak.get();
  }

  /** A sandbox of {@code users} users (seed 42) with no Graph quota. */
  static Sandbox unthrottledSandbox(int users) {
    return Sandbox.start(
        new Sandbox.Options(
            0,
            0,
            Tenant.Spec.forUsers(42, users),
            List.of("Directory.Read.All"),
            Throttle.Quota.OFF));
  }

  /** The sandbox app's client-secret credential, as a deployment would build it. */
  static CachingCredential credential(Sandbox sandbox) {
    return new CachingCredential(
        new ClientSecretCredentialBuilder()
            .tenantId(sandbox.tenant().tenantId())
            .clientId(sandbox.application().clientId())
            .clientSecret(sandbox.application().secrets().get(0).value())
            .authorityHost(sandbox.authorityHost())
            .disableInstanceDiscovery()
            .httpClient(
                new JdkHttpClientBuilder(HttpClient.newBuilder().sslContext(sandbox.clientTls()))
                    .build())
            .build());
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() {
    kafka.close();
  }
}
