package io.dirpipe.extractor.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pages through Graph's JSON batching ({@code POST /$batch}, up to {@value #MAX} requests in one):
 * concurrent {@link #get} calls are gathered into batches, so 64 member listings in flight cost
 * about 4 HTTP round trips instead of 64. Each request keeps its own outcome: an answer of 429
 * inside a batch fails just that request (with its own Retry-After) and the caller's retry sends it
 * again in a later batch; a batch that fails as a whole (429, 5xx, a reset) fails each of its
 * requests, and each is retried on its own. Nothing of a batch is delivered until all of it has
 * been read, so a batch cut off half-way delivers no page twice.
 *
 * <p>No thread of its own: a caller whose request finds fewer than {@code maxBatches} batches in
 * flight sends batches (its own request and whatever else is queued) until the queue is empty; the
 * others wait for their answers. A lone request goes as a plain GET.
 */
public final class BatchingSource implements PageSource {
  /** Requests per batch: Graph's limit. */
  public static final int MAX = 20;

  private static final JsonFactory JSON = new JsonFactory();

  private final BatchTransport transport;
  private final String apiBase;
  private final int maxBatches;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int sending;

  /** One request waiting for its answer. */
  private static final class Pending {
    final String url;
    final String relative;
    final PageReader reader;
    final Map<String, String> headers;
    Page page;
    GraphFailure failure;
    boolean done;

    Pending(String url, String relative, PageReader reader, Map<String, String> headers) {
      this.url = url;
      this.relative = relative;
      this.reader = reader;
      this.headers = headers;
    }

    synchronized void complete(Page page, GraphFailure failure) {
      this.page = page;
      this.failure = failure;
      this.done = true;
      notifyAll();
    }
  }

  /**
   * @param apiBase Graph with its version, e.g. {@code https://graph.microsoft.com/v1.0}: requests
   *     under it are batched (relative to it), others go alone
   * @param maxBatches batches in flight at once
   */
  public BatchingSource(GraphTransport transport, String apiBase, int maxBatches) {
    this((BatchTransport) transport, apiBase, maxBatches);
  }

  BatchingSource(BatchTransport transport, String apiBase, int maxBatches) {
    this.transport = transport;
    this.apiBase = apiBase;
    this.maxBatches = maxBatches;
  }

  @Override
  public Page get(String url, PageReader reader, Map<String, String> headers) {
    if (!url.startsWith(apiBase + "/")) {
      return transport.get(url, reader, headers);
    }
    transport.guard().check(url);
    Pending pending = new Pending(url, url.substring(apiBase.length()), reader, headers);
    boolean send;
    synchronized (this) {
      queue.add(pending);
      send = sending < maxBatches;
      if (send) {
        sending++;
      }
    }
    if (send) {
      sendWhileQueued();
    }
    synchronized (pending) {
      while (!pending.done) {
        try {
          pending.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          synchronized (this) {
            queue.remove(pending);
          }
          throw GraphFailure.permanent(0, null, "Interrupted waiting for " + path(url));
        }
      }
    }
    if (pending.failure != null) {
      throw pending.failure;
    }
    return pending.page;
  }

  /** Requests waiting for a batch (tests wait on it). */
  synchronized int queued() {
    return queue.size();
  }

  private void sendWhileQueued() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      synchronized (this) {
        while (batch.size() < MAX && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
        if (batch.isEmpty()) {
          sending--;
          return;
        }
      }
      send(batch);
    }
  }

  private void send(List<Pending> batch) {
    if (batch.size() == 1) {
      Pending alone = batch.get(0);
      try {
        alone.complete(transport.get(alone.url, alone.reader, alone.headers), null);
      } catch (GraphFailure f) {
        alone.complete(null, f);
      } catch (RuntimeException e) {
        alone.complete(null, GraphTransport.transportFailure("Requesting " + path(alone.url), e));
      }
      return;
    }
    Page[] pages = new Page[batch.size()];
    GraphFailure[] failures = new GraphFailure[batch.size()];
    try {
      transport.batch(
          apiBase + "/$batch",
          body(batch),
          (id, status, headers, body) -> {
            int i = index(id, batch.size());
            Pending p = batch.get(i);
            if (status == 200 && body != null) {
              pages[i] =
                  p.reader.read(
                      body,
                      GraphTransport.intHeader(headers.get("x-ms-resource-unit")),
                      GraphTransport.doubleHeader(headers.get("x-ms-throttle-limit-percentage")));
              checkLinks(pages[i]);
            } else {
              failures[i] = failure(p, status, headers, BatchAnswers.text(body));
            }
          });
    } catch (GraphFailure f) {
      batch.forEach(p -> p.complete(null, f));
      return;
    } catch (RuntimeException e) {
      GraphFailure f = GraphTransport.transportFailure("Requesting " + apiBase + "/$batch", e);
      batch.forEach(p -> p.complete(null, f));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      if (pages[i] == null && failures[i] == null) {
        failures[i] =
            new GraphFailure(
                GraphFailure.Kind.RETRIABLE,
                0,
                null,
                null,
                "Graph's batch answer had no answer for " + path(p.url),
                null);
      }
      p.complete(pages[i], failures[i]);
    }
  }

  private void checkLinks(Page page) {
    if (page.nextLink() != null) {
      transport.guard().check(page.nextLink());
    }
    if (page.deltaLink() != null) {
      transport.guard().check(page.deltaLink());
    }
  }

  /**
   * An answer other than 200: classified as a request of its own would be; a 401 inside a batch
   * drops the cached token and is retried (the batch itself was accepted with it).
   */
  private GraphFailure failure(Pending p, int status, Map<String, String> headers, String body) {
    String[] codeAndMessage = ErrorBody.codeAndMessage(body, headers.get("Content-Type"));
    GraphFailure f =
        transport.classify(
            status, codeAndMessage[0], codeAndMessage[1], headers.get("Retry-After"), p.url);
    if (f.kind() == GraphFailure.Kind.UNAUTHORIZED) {
      transport.tokenRefused();
      return new GraphFailure(
          GraphFailure.Kind.RETRIABLE, status, f.code(), null, f.getMessage(), null);
    }
    return f;
  }

  private static int index(String id, int size) throws IOException {
    try {
      int i = Integer.parseInt(id);
      if (i >= 0 && i < size) {
        return i;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IOException("the batch answer names a request it was not sent");
  }

  private static byte[] body(List<Pending> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("requests");
      for (int i = 0; i < batch.size(); i++) {
        Pending p = batch.get(i);
        g.writeStartObject();
        g.writeStringField("id", Integer.toString(i));
        g.writeStringField("method", "GET");
        g.writeStringField("url", p.relative);
        if (!p.headers.isEmpty()) {
          g.writeObjectFieldStart("headers");
          for (Map.Entry<String, String> h : p.headers.entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String path(String url) {
    return GraphTransport.path(url);
  }
}
