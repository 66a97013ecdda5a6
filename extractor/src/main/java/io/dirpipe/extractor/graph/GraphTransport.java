package io.dirpipe.extractor.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import com.microsoft.kiota.http.middleware.options.HeadersInspectionOption;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import io.dirpipe.identity.Audience;
import io.dirpipe.identity.credential.CachingCredential;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;

/**
 * The Graph SDK as transport only: its authentication provider (tokens for the configured host
 * only), its middleware without the RetryHandler (dirpipe's limiter retries, honouring
 * Retry-After), and {@code sendPrimitive(..., InputStream.class)} so that pages are parsed as they
 * stream in.
 */
public final class GraphTransport implements PageSource {
  private final RequestAdapter adapter;
  private final CachingCredential credential;
  private final HostGuard guard;
  private final boolean lowPriority;
  private final HashMap<String, ParsableFactory<? extends Parsable>> errors =
      new HashMap<>(Map.of("XXX", ODataError::createFromDiscriminatorValue));

  public GraphTransport(String graphBaseUrl, CachingCredential credential, boolean lowPriority) {
    this.credential = credential;
    this.guard = new HostGuard(graphBaseUrl);
    this.lowPriority = lowPriority;
    String host = URI.create(graphBaseUrl).getHost();
    var auth =
        new AzureIdentityAuthenticationProvider(
            credential, new String[] {host}, Audience.GRAPH.scope());
    List<Interceptor> middleware =
        Arrays.stream(GraphClientFactory.createDefaultGraphInterceptors(new RequestOption[0]))
            .filter(i -> !(i instanceof RetryHandler))
            .toList();
    var http =
        GraphClientFactory.create(middleware)
            .readTimeout(100, TimeUnit.SECONDS)
            .callTimeout(120, TimeUnit.SECONDS)
            .build();
    this.adapter = new GraphServiceClient(auth, http).getRequestAdapter();
  }

  /** The guard every followed link passes. */
  public HostGuard guard() {
    return guard;
  }

  /**
   * GETs a page and parses it with the reader. A 401 drops the cached token and retries once.
   *
   * @throws GraphFailure classified for the caller's retry policy
   */
  @Override
  public Page get(String url, PageReader reader, Map<String, String> headers) {
    guard.check(url);
    try {
      return once(url, reader, headers);
    } catch (GraphFailure f) {
      if (f.kind() != GraphFailure.Kind.UNAUTHORIZED) {
        throw f;
      }
      credential.invalidate(Audience.GRAPH.scope());
      return once(url, reader, headers);
    }
  }

  private Page once(String url, PageReader reader, Map<String, String> headers) {
    RequestInformation ri = new RequestInformation();
    ri.httpMethod = HttpMethod.GET;
    ri.setUri(URI.create(url));
    ri.headers.add("Accept", "application/json");
    if (lowPriority) {
      ri.headers.add("x-ms-throttle-priority", "low");
    }
    headers.forEach(ri.headers::add);
    HeadersInspectionOption inspect = new HeadersInspectionOption(false, true);
    ri.addRequestOptions(List.of(inspect));
    try (InputStream body = adapter.sendPrimitive(ri, errors, InputStream.class)) {
      if (body == null) {
        throw new GraphFailure(
            GraphFailure.Kind.RETRIABLE,
            0,
            null,
            null,
            "Graph answered " + url + " without a body",
            null);
      }
      Map<String, Set<String>> h = inspect.getResponseHeaders();
      return reader.read(
          body,
          intHeader(h, "x-ms-resource-unit"),
          doubleHeader(h, "x-ms-throttle-limit-percentage"));
    } catch (ApiException e) {
      throw classify(e, url);
    } catch (IOException | UncheckedIOException e) {
      throw new GraphFailure(
          GraphFailure.Kind.RETRIABLE,
          0,
          null,
          null,
          "Reading " + path(url) + " failed: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      if (e instanceof GraphFailure g) {
        throw g;
      }
      throw new GraphFailure(
          GraphFailure.Kind.RETRIABLE,
          0,
          null,
          null,
          "Requesting " + path(url) + " failed: " + e,
          e);
    }
  }

  private static GraphFailure classify(ApiException e, String url) {
    int status = e.getResponseStatusCode();
    String code = e instanceof ODataError o && o.getError() != null ? o.getError().getCode() : null;
    String message =
        e instanceof ODataError o && o.getError() != null
            ? o.getError().getMessage()
            : e.getMessage();
    Duration retryAfter = retryAfter(e.getResponseHeaders());
    String text =
        "Graph answered "
            + status
            + (code == null ? "" : " " + code)
            + " for "
            + path(url)
            + ": "
            + message;
    GraphFailure.Kind kind;
    if (status == 429) {
      kind = GraphFailure.Kind.THROTTLED;
    } else if (status == 401) {
      kind = GraphFailure.Kind.UNAUTHORIZED;
    } else if (status == 410 || "syncStateNotFound".equals(code) || "resyncRequired".equals(code)) {
      kind = GraphFailure.Kind.RESYNC;
    } else if (status == 408 || status >= 500) {
      kind = GraphFailure.Kind.RETRIABLE;
    } else {
      kind = GraphFailure.Kind.PERMANENT;
    }
    return new GraphFailure(kind, status, code, retryAfter, text, e);
  }

  private static Duration retryAfter(Map<String, Set<String>> headers) {
    int seconds = intHeader(headers, "Retry-After");
    return seconds < 0 ? null : Duration.ofSeconds(seconds);
  }

  private static int intHeader(Map<String, Set<String>> headers, String name) {
    String v = header(headers, name);
    try {
      return v == null ? -1 : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static double doubleHeader(Map<String, Set<String>> headers, String name) {
    String v = header(headers, name);
    try {
      return v == null ? 0 : Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String header(Map<String, Set<String>> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, Set<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().iterator().next();
      }
    }
    return null;
  }

  /** The path of a URL, without the query (which may carry tokens of Graph's own). */
  static String path(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }
}
