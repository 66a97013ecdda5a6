package io.dirpipe.extractor.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingSourceTest {
  static final String BASE = "https://graph.example/v1.0";
  private final PageReader ids = new PageReader(null);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Graph scripted: single requests wait for a latch; a batch answers 429 to group g3 only. */
  static class ScriptedGraph implements BatchTransport {
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> singles = new CopyOnWriteArrayList<>();
    final List<List<String>> batches = new CopyOnWriteArrayList<>();

    @Override
    public Page get(String url, PageReader reader, Map<String, String> headers) {
      singles.add(url);
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return new Page(List.of(), null, null, 2, 0, -1);
    }

    @Override
    public void batch(String url, byte[] json, BatchAnswers.Handler answers) {
      assertThat(url).isEqualTo(BASE + "/$batch");
      Matcher m =
          Pattern.compile("\"id\":\"(\\d+)\",\"method\":\"GET\",\"url\":\"([^\"]+)\"")
              .matcher(new String(json, StandardCharsets.UTF_8));
      List<String> urls = new ArrayList<>();
      try {
        while (m.find()) {
          urls.add(m.group(2));
          boolean throttled = m.group(2).contains("/g3/");
          String body =
              throttled
                  ? "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"later\"}}"
                  : "{\"value\":[{\"id\":\"member-of-" + m.group(2) + "\"}]}";
          try (JsonParser p = new JsonFactory().createParser(body)) {
            p.nextToken();
            answers.answer(
                m.group(1),
                throttled ? 429 : 200,
                throttled ? Map.of("Retry-After", "2") : Map.of(),
                p);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      batches.add(urls);
    }

    @Override
    public HostGuard guard() {
      return new HostGuard(BASE);
    }

    @Override
    public GraphFailure classify(
        int status, String code, String message, String retryAfterHeader, String url) {
      return new GraphFailure(
          status == 429 ? GraphFailure.Kind.THROTTLED : GraphFailure.Kind.PERMANENT,
          status,
          code,
          retryAfterHeader == null ? null : Duration.ofSeconds(Long.parseLong(retryAfterHeader)),
          "Graph answered " + status + " " + code,
          null);
    }

    @Override
    public void tokenRefused() {}
  }

  private Future<Page> get(BatchingSource source, String group) {
    return pool.submit(() -> source.get(BASE + "/groups/" + group + "/members", ids, Map.of()));
  }

  @Test
  void requestsQueuedWhileOneIsInFlightGoInOneBatchAndA429InsideFailsOnlyItsOwnRequest()
      throws Exception {
    ScriptedGraph graph = new ScriptedGraph();
    BatchingSource source = new BatchingSource(graph, BASE, 1);
    Future<Page> first = get(source, "g0");
    await("the first request in flight alone")
        .atMost(Duration.ofSeconds(30))
        .until(() -> graph.singles.size() == 1);
    List<Future<Page>> queued = new ArrayList<>();
    for (int g = 1; g <= 5; g++) {
      queued.add(get(source, "g" + g));
    }
    await("five requests queued behind it")
        .atMost(Duration.ofSeconds(30))
        .until(() -> source.queued() == 5);
    graph.release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS).resourceUnits()).isEqualTo(2);
    List<String> members = new ArrayList<>();
    GraphFailure throttled = null;
    for (Future<Page> f : queued) {
      try {
        members.add(f.get(30, TimeUnit.SECONDS).items().get(0).id());
      } catch (ExecutionException e) {
        assertThat(throttled).as("only one request is throttled").isNull();
        throttled = (GraphFailure) e.getCause();
      }
    }
    assertThat(graph.batches).as("one batch of the five queued").hasSize(1);
    assertThat(graph.batches.get(0)).hasSize(5).allMatch(u -> u.startsWith("/groups/g"));
    assertThat(members)
        .containsExactly(
            "member-of-/groups/g1/members",
            "member-of-/groups/g2/members",
            "member-of-/groups/g4/members",
            "member-of-/groups/g5/members");
    assertThat(throttled.kind()).isEqualTo(GraphFailure.Kind.THROTTLED);
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(graph.singles).containsExactly(BASE + "/groups/g0/members");
  }

  @Test
  void aBatchThatFailsAsAWholeFailsEachOfItsRequestsAndDeliversNoPage() throws Exception {
    ScriptedGraph graph =
        new ScriptedGraph() {
          @Override
          public void batch(String url, byte[] json, BatchAnswers.Handler answers) {
            throw new GraphFailure(
                GraphFailure.Kind.RETRIABLE, 503, null, null, "Graph answered 503", null);
          }
        };
    BatchingSource source = new BatchingSource(graph, BASE, 1);
    Future<Page> first = get(source, "g0");
    await("the first request in flight alone")
        .atMost(Duration.ofSeconds(30))
        .until(() -> graph.singles.size() == 1);
    Future<Page> a = get(source, "g1");
    Future<Page> b = get(source, "g2");
    await("two requests queued").atMost(Duration.ofSeconds(30)).until(() -> source.queued() == 2);
    graph.release.countDown();
    first.get(30, TimeUnit.SECONDS);
    for (Future<Page> f : List.of(a, b)) {
      Throwable t = catchThrowable(() -> f.get(30, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class);
      assertThat(((GraphFailure) t.getCause()).status()).isEqualTo(503);
    }
  }
}
