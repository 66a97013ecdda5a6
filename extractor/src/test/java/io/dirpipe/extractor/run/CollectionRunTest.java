package io.dirpipe.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.core.ManualTime;
import io.dirpipe.core.RetryPolicy;
import io.dirpipe.core.kafka.MockKafkaClients;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.extractor.graph.GraphFailure;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageSource;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.extractor.ratelimit.ResourceUnitLimiter;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once decisions of a run without a broker: one transaction per page with its
 * checkpoint, the end-of-run markers and run event in the last one, and a resume from the last
 * committed checkpoint that sends each remaining object once.
 */
class CollectionRunTest {
  static final String BASE = "https://graph.example/v1.0";
  static final int PAGES = 3;
  static final int PER_PAGE = 4;

  final Topics topics = new Topics("t.");
  final ManualTime time = new ManualTime();
  final ExecutorService prefetch = Executors.newCachedThreadPool();
  final Node node = new Node(0, "mock", 9092);
  final Cluster cluster =
      new Cluster(
          "c",
          List.of(node),
          IntStream.range(0, 3)
              .mapToObj(
                  p ->
                      new PartitionInfo(
                          topics.raw(Collection.USERS).name(),
                          p,
                          node,
                          new Node[] {node},
                          new Node[] {node}))
              .toList(),
          Set.of(),
          Set.of());

  @AfterEach
  void stop() {
    prefetch.shutdownNow();
  }

  /** Page n (1-based) of the scripted collection; the failing page, when set, answers 403. */
  PageSource graph(int failingPage, List<String> requested) {
    return (url, reader, headers) -> {
      requested.add(url);
      int n = url.contains("page=") ? Integer.parseInt(url.replaceAll(".*page=", "")) : 1;
      if (n == failingPage) {
        throw new GraphFailure(
            GraphFailure.Kind.PERMANENT, 403, "Forbidden", null, "HTTP 403", null);
      }
      List<Page.Item> items = new ArrayList<>();
      for (int i = 0; i < PER_PAGE; i++) {
        String id = String.format("%08d-0000-4000-8000-000000000000", n * 100 + i);
        User u = User.newBuilder().setId(id).setDisplayName("user " + id).build();
        items.add(new Page.Item(u, id, null, null, List.of()));
      }
      String next = n < PAGES ? BASE + "/users?$skiptoken=x&page=" + (n + 1) : null;
      return new Page(items, next, null, 1, 0);
    };
  }

  RunFailed failure;
  boolean failOnInvalid;

  /** The scripted collection with the first object of page 2 sent without an id. */
  PageSource withoutIdOnPage2() {
    PageSource pages = graph(0, new ArrayList<>());
    return (url, reader, headers) -> {
      Page p = pages.get(url, reader, headers);
      if (!url.endsWith("page=2")) {
        return p;
      }
      List<Page.Item> items = new ArrayList<>(p.items());
      Page.Item first = items.get(0);
      items.set(0, new Page.Item(first.entity(), null, null, null, List.of()));
      return new Page(items, p.nextLink(), p.deltaLink(), 1, 0);
    };
  }

  MockProducer<byte[], byte[]> run(PageSource graph, Checkpoint from) throws Exception {
    return run(graph, from, false);
  }

  MockProducer<byte[], byte[]> run(PageSource graph, Checkpoint from, boolean delta)
      throws Exception {
    failure = null;
    MockKafkaClients kafka = new MockKafkaClients(cluster);
    PageFetcher fetcher =
        new PageFetcher(
            graph,
            new ResourceUnitLimiter(8_000, time),
            RetryPolicy.of(3, Duration.ofMinutes(10)),
            time);
    try (Publisher publisher = new Publisher(kafka, "tx-users", topics)) {
      var ctx =
          new CollectionRun.Context(
              "tenant-1",
              BASE,
              PER_PAGE,
              delta,
              false,
              fetcher,
              fetcher,
              publisher,
              topics,
              prefetch,
              new ProgressBoard(),
              time,
              failOnInvalid,
              1,
              25_000);
      try {
        new CollectionRun(CollectionSpec.of(Collection.USERS, null), ctx).run(from);
      } catch (RunFailed e) {
        failure = e;
      } finally {
        assertThat(kafka.settings().get(0).required())
            .containsEntry("transactional.id", "tx-users")
            .containsEntry("enable.idempotence", true);
      }
    }
    @SuppressWarnings("unchecked")
    MockProducer<byte[], byte[]> p = (MockProducer<byte[], byte[]>) kafka.producers().get(0);
    return p;
  }

  List<Observation> observations(MockProducer<byte[], byte[]> p) {
    var raw = topics.raw(Collection.USERS);
    return p.history().stream()
        .filter(r -> r.topic().equals(raw.name()))
        .map(r -> raw.valueSerde().deserializer().deserialize(raw.name(), r.value()))
        .toList();
  }

  List<Checkpoint> checkpoints(MockProducer<byte[], byte[]> p) {
    var cps = topics.checkpoints();
    return p.history().stream()
        .filter(r -> r.topic().equals(cps.name()))
        .map(r -> cps.valueSerde().deserializer().deserialize(cps.name(), r.value()))
        .toList();
  }

  List<RunEvent> events(MockProducer<byte[], byte[]> p) {
    var runs = topics.runs();
    return p.history().stream()
        .filter(r -> r.topic().equals(runs.name()))
        .map(r -> runs.valueSerde().deserializer().deserialize(runs.name(), r.value()))
        .toList();
  }

  @Test
  void eachPageIsOneTransactionWithItsCheckpointAndTheLastEndsTheRun() throws Exception {
    MockProducer<byte[], byte[]> p = run(graph(0, new ArrayList<>()), null);
    assertThat(p.commitCount()).isEqualTo(PAGES);
    List<Observation> obs = observations(p);
    assertThat(obs.stream().filter(o -> o.getKind() == ObservationKind.OBSERVED))
        .hasSize(PAGES * PER_PAGE);
    assertThat(
            p.history().stream().filter(r -> r.partition() != null).map(ProducerRecord::partition))
        .as("a RUN_END marker on every partition of the raw topic")
        .containsExactlyInAnyOrder(0, 1, 2);
    List<Checkpoint> cps = checkpoints(p);
    assertThat(cps).extracting(Checkpoint::getPages).containsExactly(1, 2, 3);
    assertThat(cps.get(2).getNextLink()).isNull();
    assertThat(cps.get(0).getNextLink()).endsWith("page=2");
    assertThat(events(p))
        .extracting(RunEvent::getType)
        .containsExactly(RunEventType.STARTED, RunEventType.COMPLETED);
  }

  @Test
  void aRunThatFailsKeepsWhatItCommittedAndItsResumeSendsTheRestOnce() throws Exception {
    MockProducer<byte[], byte[]> whole = run(graph(0, new ArrayList<>()), null);
    String wholeDigest = checkpoints(whole).get(PAGES - 1).getDigest();

    MockProducer<byte[], byte[]> failed = run(graph(3, new ArrayList<>()), null);
    assertThat(failure).hasMessageContaining("users page 3 of run").hasMessageContaining("403");
    assertThat(failed.commitCount()).as("pages 1 and 2, then the FAILED event").isEqualTo(3);
    assertThat(events(failed))
        .extracting(RunEvent::getType)
        .containsExactly(RunEventType.STARTED, RunEventType.FAILED);
    RunEvent failedEvent = events(failed).get(1);
    assertThat(failedEvent.getError()).contains("users page 3 of run").contains("403");
    assertThat(failedEvent.getPages()).isEqualTo(2);
    assertThat(failedEvent.getRecords()).isEqualTo(2 * PER_PAGE);
    assertThat(failure.summary().records())
        .as("the summary counts what was committed")
        .isEqualTo(8);
    assertThat(failure.summary().status()).isEqualTo("failed");
    Checkpoint last = checkpoints(failed).get(1);
    assertThat(last.getNextLink()).endsWith("page=3");

    List<String> requested = new ArrayList<>();
    MockProducer<byte[], byte[]> resumed = run(graph(0, requested), last);
    assertThat(requested).as("the resume asks for page 3 only").hasSize(1);
    List<Observation> again = observations(resumed);
    assertThat(again.stream().filter(o -> o.getKind() == ObservationKind.OBSERVED))
        .hasSize(PER_PAGE)
        .allMatch(o -> o.getRunId().equals(last.getRunId()) && o.getPage() == 3);
    Checkpoint end = checkpoints(resumed).get(0);
    assertThat(end.getRecords()).isEqualTo(PAGES * PER_PAGE);
    assertThat(end.getDigest()).as("same digest as an undisturbed run").isEqualTo(wholeDigest);
  }

  @Test
  void anObjectWithoutIdIsCountedAndSkippedOrByTheSettingFailsTheRun() throws Exception {
    MockProducer<byte[], byte[]> skipped = run(withoutIdOnPage2(), null);
    assertThat(failure).isNull();
    Checkpoint end = checkpoints(skipped).get(PAGES - 1);
    assertThat(end.getRecords()).isEqualTo(PAGES * PER_PAGE - 1);
    assertThat(events(skipped).get(events(skipped).size() - 1).getType())
        .isEqualTo(RunEventType.COMPLETED);

    failOnInvalid = true;
    MockProducer<byte[], byte[]> failed = run(withoutIdOnPage2(), null);
    assertThat(failure)
        .hasMessageContaining("users page 2 of run")
        .hasMessageContaining("1 object(s) without an id")
        .hasMessageContaining("extract.on-invalid-object=fail");
    assertThat(failed.commitCount()).as("page 1, then the FAILED event").isEqualTo(2);
    assertThat(checkpoints(failed).get(0).getNextLink()).endsWith("page=2");
  }

  @Test
  void theRunEndIsASnapshotForFullRunsAndTheInitialRoundOfADeltaQueryOnly() throws Exception {
    assertThat(runEnd(run(graph(0, new ArrayList<>()), null, false)).getSnapshot())
        .as("FULL")
        .isTrue();
    assertThat(runEnd(run(graph(0, new ArrayList<>()), null, true)).getSnapshot())
        .as("the initial round of a delta query: every object that exists")
        .isTrue();
    Checkpoint synced =
        RunState.fresh("tenant-1", "users", io.dirpipe.schemas.Mode.DELTA, null, time)
            .checkpoint(null, BASE + "/users/delta?$deltatoken=t");
    assertThat(runEnd(run(graph(0, new ArrayList<>()), synced, true)).getSnapshot())
        .as("a later round: changes only")
        .isFalse();
  }

  Observation runEnd(MockProducer<byte[], byte[]> p) {
    return observations(p).stream()
        .filter(o -> o.getKind() == ObservationKind.RUN_END)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no RUN_END marker"));
  }

  @Test
  void aFencedProducerStopsTheRunWithoutCommitting() throws Exception {
    MockKafkaClients kafka = new MockKafkaClients(cluster);
    try (Publisher publisher = new Publisher(kafka, "tx-users", topics)) {
      MockProducer<?, ?> p = kafka.producers().get(0);
      p.fenceProducer();
      Checkpoint cp =
          RunState.fresh("tenant-1", "users", io.dirpipe.schemas.Mode.FULL, null, time)
              .checkpoint(null, null);
      assertThatThrownBy(
              () -> publisher.commit(new Publisher.Batch(List.of(), cp, List.of(), List.of())))
          .hasMessageContaining("Another extractor took over tenant-1/users");
      assertThat(p.commitCount()).isZero();
    }
  }
}
