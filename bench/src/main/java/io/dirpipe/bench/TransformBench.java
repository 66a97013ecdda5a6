package io.dirpipe.bench;

import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.extractor.Extractor;
import io.dirpipe.extractor.ExtractorConfig;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.sandbox.tenant.Mutator;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.transformer.Transformer;
import io.dirpipe.transformer.TransformerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code dirpipe bench transform}: change detection throughput on a large full snapshot beside the
 * limit (the same topic read and decoded with no state), and delta-to-inventory latency of the
 * near-real-time feed ({@code extract --follow} + {@code transform}).
 */
public final class TransformBench implements AutoCloseable {
  private static final int PARTITIONS = io.dirpipe.schemas.TopicLayout.DEFAULT_PARTITIONS;

  /** One measured line. */
  public record Figure(String what, long records, double seconds) {
    public double perSecond() {
      return records / seconds;
    }
  }

  /** Throughput figures and the size of the state the first snapshot left. */
  public record Snapshot(int objects, List<Figure> figures, long stateBytes, long changeEvents) {}

  /** Milliseconds from a change in the tenant to its object in the inventory topic. */
  public record Latency(
      int samples, long p50Millis, long p99Millis, long maxMillis, long intervalMillis) {}

  private final LocalKafka kafka = LocalKafka.start();
  private final Path work;

  public TransformBench() throws IOException {
    this.work = Files.createTempDirectory("dirpipe-bench-transform");
  }

  private KafkaClients kafkaProps() {
    return kafka.clients();
  }

  /**
   * Two FULL runs of {@code objects} users in the raw topic (the second with 1 % updated, 0.5 %
   * gone, 0.5 % new), transformed from a cold start: run 1 is all CREATEs, run 2 is the diff.
   */
  public Snapshot snapshot(int objects) throws Exception {
    Topics topics = new Topics("bt" + UUID.randomUUID().toString().substring(0, 6) + ".");
    Topic<ObjectKey, Observation> raw = topics.raw(Collection.USERS);
    TopicSetup.ensure(kafkaProps(), List.of(raw), io.dirpipe.schemas.TopicLayout.DEFAULT);
    long markers = PARTITIONS;
    long run1 = publishRun(raw, "run-1", objects, false) + markers;
    long run2 = publishRun(raw, "run-2", objects, true) + markers;

    List<Figure> figures = new ArrayList<>();
    long t0 = System.nanoTime();
    AtomicLong read = new AtomicLong();
    TopicReader.readAll(kafkaProps(), raw, r -> read.incrementAndGet());
    figures.add(new Figure("limit: raw topic read and decoded, no state", read.get(), seconds(t0)));

    Path state = work.resolve("state-" + UUID.randomUUID());
    Map<String, Object> settings = new HashMap<>();
    settings.put(TransformerConfig.COLLECTIONS, "users");
    settings.put(TransformerConfig.STATE_DIR, state.toString());
    settings.put(TransformerConfig.APPLICATION_ID, topics.prefix() + "transformer");
    settings.put(TransformerConfig.THREADS, PARTITIONS);
    long events;
    try (Transformer t = new Transformer(new TransformerConfig(settings), kafkaProps(), topics)) {
      t.start();
      long first = awaitInputs(t, 1);
      long afterRun1 = awaitInputs(t, run1);
      long afterRun2 = awaitInputs(t, run1 + run2);
      figures.add(
          new Figure(
              "dirpipe transform, run 1: every object new (CREATE)",
              run1,
              (afterRun1 - first) / 1e9));
      figures.add(
          new Figure(
              "dirpipe transform, run 2: full snapshot diffed against the state",
              run2,
              (afterRun2 - afterRun1) / 1e9));
      t.awaitIdle(Duration.ofSeconds(1));
      events =
          t.stats().snapshot().get("users").entrySet().stream()
              .filter(e -> e.getKey().matches("CREATE|UPDATE|DELETE"))
              .mapToLong(Map.Entry::getValue)
              .sum();
    }
    return new Snapshot(objects, figures, size(state), events);
  }

  private long publishRun(
      Topic<ObjectKey, Observation> raw, String runId, int objects, boolean secondRun) {
    ClientSettings config =
        ClientSettings.of("bench-publish")
            .withDefault(ProducerConfig.LINGER_MS_CONFIG, 20)
            .withDefault(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024)
            .withDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    Instant started = Instant.now();
    long sent = 0;
    try (Producer<ObjectKey, Observation> p =
        kafkaProps().producer(config, raw.keySerde().serializer(), raw.valueSerde().serializer())) {
      int created = secondRun ? objects / 200 : 0;
      for (int i = 0; i < objects + created; i++) {
        if (secondRun && i < objects && i % 200 == 7) {
          continue; // 0.5 % gone since run 1
        }
        User u = user(i, secondRun && i % 100 == 0 ? "Ops" : "Sales"); // 1 % updated
        p.send(
            new ProducerRecord<>(
                raw.name(),
                new ObjectKey("bench-tenant", u.getId()),
                new Observation(
                    "bench-tenant",
                    "users",
                    u.getId(),
                    runId,
                    Mode.FULL,
                    1 + i / 999,
                    Instant.now(),
                    ObservationKind.OBSERVED,
                    null,
                    u,
                    null,
                    false)));
        sent++;
      }
      for (int partition = 0; partition < PARTITIONS; partition++) {
        p.send(
            new ProducerRecord<>(
                raw.name(),
                partition,
                new ObjectKey("bench-tenant", ""),
                new Observation(
                    "bench-tenant",
                    "users",
                    null,
                    runId,
                    Mode.FULL,
                    1 + objects / 999,
                    Instant.now(),
                    ObservationKind.RUN_END,
                    null,
                    null,
                    started,
                    false)));
      }
    }
    return sent;
  }

  private static User user(int i, String department) {
    String id = String.format("%08x-0000-4000-8000-%012x", i, i);
    return User.newBuilder()
        .setId(id)
        .setDisplayName("User " + i)
        .setGivenName("Given" + i)
        .setSurname("Surname" + (i % 5000))
        .setUserPrincipalName("user" + i + "@bench.example")
        .setMail("user" + i + "@bench.example")
        .setMailNickname("user" + i)
        .setAccountEnabled(i % 17 != 0)
        .setUserType("Member")
        .setJobTitle("Engineer " + (i % 40))
        .setDepartment(department)
        .setCompanyName("Bench Ltd")
        .setOfficeLocation("Building " + (i % 30))
        .setUsageLocation("GB")
        .setEmployeeId(Integer.toString(100000 + i))
        .setCreatedDateTime(Instant.ofEpochSecond(1_600_000_000L + i))
        .setProxyAddresses(List.of("SMTP:user" + i + "@bench.example"))
        .build();
  }

  private static long awaitInputs(Transformer t, long n) throws InterruptedException {
    while (t.stats().inputs() < n) {
      Thread.sleep(20);
    }
    return System.nanoTime();
  }

  /**
   * Runs {@code extract --follow} (users, DELTA every {@code interval}) and {@code transform} on a
   * sandbox tenant while one user changes every {@code every}, for {@code duration}; measures when
   * each changed user appears in {@code inventory.users}.
   */
  public Latency latency(int users, Duration interval, Duration every, Duration duration)
      throws Exception {
    try (Sandbox sandbox = ExtractBench.unthrottledSandbox(users)) {
      Topics topics = new Topics("bl" + UUID.randomUUID().toString().substring(0, 6) + ".");
      Extractor extractor =
          new Extractor(
              new ExtractorConfig(Map.of("extract.collections", "users", "extract.mode", "delta")),
              sandbox.tenant().tenantId(),
              sandbox.url(),
              ExtractBench.credential(sandbox),
              kafkaProps(),
              topics);
      extractor.runOnce(); // the initial sync
      Map<String, Object> settings = new HashMap<>();
      settings.put(TransformerConfig.COLLECTIONS, "users");
      settings.put(TransformerConfig.STATE_DIR, work.resolve("latency-state").toString());
      settings.put(TransformerConfig.APPLICATION_ID, topics.prefix() + "transformer");
      Map<String, Long> changedAt = new ConcurrentHashMap<>();
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean running = new AtomicBoolean(true);
      try (Transformer t = new Transformer(new TransformerConfig(settings), kafkaProps(), topics)) {
        t.start();
        t.awaitIdle(Duration.ofSeconds(1));
        Thread follow =
            new Thread(
                () -> {
                  try {
                    while (running.get()) {
                      extractor.runOnce();
                      sleep(interval);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "bench-follow");
        Thread watch =
            new Thread(
                () -> watchInventory(topics, changedAt, latencies, running), "bench-inventory");
        follow.start();
        watch.start();
        Mutator mutator = new Mutator(sandbox.tenant());
        long end = System.nanoTime() + duration.toNanos();
        for (long seed = 1; System.nanoTime() < end; seed++) {
          var report = mutator.apply(new Mutator.Request("users", 0, 1, 0, 0, 0, seed));
          long now = System.currentTimeMillis();
          report.updated().forEach(u -> changedAt.put((String) u.get("id"), now));
          sleep(every);
        }
        sleep(interval.plusSeconds(3)); // the last changes arrive
        running.set(false);
        follow.join();
        watch.join();
      }
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      if (sorted.isEmpty()) {
        throw new IllegalStateException("no change reached the inventory");
      }
      return new Latency(
          sorted.size(),
          sorted.get(sorted.size() / 2),
          sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
          sorted.get(sorted.size() - 1),
          interval.toMillis());
    }
  }

  private void watchInventory(
      Topics topics, Map<String, Long> changedAt, List<Long> latencies, AtomicBoolean running) {
    Topic<ObjectKey, User> inventory = topics.inventory(Collection.USERS);
    ClientSettings config =
        ClientSettings.of("bench-inventory")
            .require(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID())
            .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .require(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    try (Consumer<ObjectKey, User> c =
        kafkaProps()
            .consumer(
                config,
                inventory.keySerde().deserializer(),
                inventory.valueSerde().deserializer())) {
      c.subscribe(List.of(inventory.name()));
      while (running.get()) {
        for (var r : c.poll(Duration.ofMillis(50))) {
          Long at = changedAt.remove(r.key().getObjectId());
          if (at != null) {
            latencies.add(System.currentTimeMillis() - at);
          }
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() {
    kafka.close();
  }
}
