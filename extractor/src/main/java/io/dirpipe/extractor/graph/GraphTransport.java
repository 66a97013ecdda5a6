package io.dirpipe.extractor.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.ResponseHandler;
import com.microsoft.kiota.ResponseHandlerOption;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import io.dirpipe.core.RetryAfter;
import io.dirpipe.core.Time;
import io.dirpipe.identity.Audience;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.identity.credential.TokenFailures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The Graph SDK as transport only: its authentication provider (tokens for the configured host
 * only), its middleware without the RetryHandler (dirpipe's limiter retries, honouring
 * Retry-After), and {@code sendPrimitive(..., InputStream.class)} so that pages are parsed as they
 * stream in.
 */
public final class GraphTransport implements BatchTransport {
  private final RequestAdapter adapter;
  private final CachingCredential credential;
  private final Time time;
  private final HostGuard guard;
  private final boolean lowPriority;

  /** None: {@link Answer} reads every answer itself, errors included. */
  private final HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();

  public GraphTransport(String graphBaseUrl, CachingCredential credential, boolean lowPriority) {
    this(graphBaseUrl, credential, lowPriority, Time.SYSTEM);
  }

  /**
   * @param time the clock a Retry-After in HTTP-date form is read against
   */
  public GraphTransport(
      String graphBaseUrl, CachingCredential credential, boolean lowPriority, Time time) {
    this(graphBaseUrl, credential, lowPriority, time, null);
  }

  /**
   * @param trust the trust store's certificates for Graph's TLS (a private CA); null: the JDK's
   */
  public GraphTransport(
      String graphBaseUrl,
      CachingCredential credential,
      boolean lowPriority,
      Time time,
      javax.net.ssl.X509TrustManager trust) {
    this.credential = credential;
    this.time = time;
    this.guard = new HostGuard(graphBaseUrl);
    this.lowPriority = lowPriority;
    String host = URI.create(graphBaseUrl).getHost();
    com.microsoft.kiota.authentication.AuthenticationProvider auth =
        URI.create(graphBaseUrl).getScheme().equalsIgnoreCase("https") || isLoopback(host)
            ? new AzureIdentityAuthenticationProvider(
                credential, new String[] {host}, Audience.GRAPH.scope())
            : new com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider(
                new PlainHttpTokens(credential, host));
    List<Interceptor> middleware =
        Arrays.stream(GraphClientFactory.createDefaultGraphInterceptors(new RequestOption[0]))
            .filter(i -> !(i instanceof RetryHandler))
            .toList();
    // One deadline per call, none per read: a per-read timeout enters Okio's AsyncTimeout on every
    // 8 KB read of a page and wakes its watchdog thread each time (0.7 CPU s per 200,000 users).
    // A stalled connection still fails the call at the deadline, and the page is retried.
    var builder =
        GraphClientFactory.create(middleware)
            .readTimeout(0, TimeUnit.SECONDS)
            .callTimeout(120, TimeUnit.SECONDS);
    if (trust != null) {
      builder.sslSocketFactory(tls(trust).getSocketFactory(), trust);
    }
    var http = builder.build();
    this.adapter = new GraphServiceClient(auth, http).getRequestAdapter();
  }

  /** The guard every followed link passes. */
  @Override
  public HostGuard guard() {
    return guard;
  }

  /**
   * GETs a page and parses it with the reader. A 401 drops the cached token and retries once with a
   * token asked anew; a page whose next or delta link names another host is refused.
   *
   * @throws GraphFailure classified for the caller's retry policy
   */
  @Override
  public Page get(String url, PageReader reader, Map<String, String> headers) {
    guard.check(url);
    Page page;
    try {
      page = once(url, reader, headers);
    } catch (GraphFailure f) {
      if (f.kind() != GraphFailure.Kind.UNAUTHORIZED) {
        throw f;
      }
      credential.invalidate(Audience.GRAPH.scope());
      page = once(url, reader, headers);
    }
    // a page whose links leave Graph's host is not a page of this collection: refused before it
    // is committed, so no checkpoint ever holds such a link
    if (page.nextLink() != null) {
      guard.check(page.nextLink());
    }
    if (page.deltaLink() != null) {
      guard.check(page.deltaLink());
    }
    return page;
  }

  private Page once(String url, PageReader reader, Map<String, String> headers) {
    RequestInformation ri = request(HttpMethod.GET, url);
    headers.forEach(ri.headers::add);
    return send(
        ri,
        url,
        r ->
            reader.read(
                r.body().byteStream(),
                intHeader(r.header("x-ms-resource-unit")),
                doubleHeader(r.header("x-ms-throttle-limit-percentage"))));
  }

  /**
   * POSTs a JSON batch and hands each of its answers to {@code answers} as the body streams in. A
   * 401 for the batch drops the cached token and sends it once more with a token asked anew.
   *
   * @throws GraphFailure for the batch as a whole (its requests all failed with it)
   */
  @Override
  public void batch(String url, byte[] json, BatchAnswers.Handler answers) {
    guard.check(url);
    try {
      postBatch(url, json, answers);
    } catch (GraphFailure f) {
      if (f.kind() != GraphFailure.Kind.UNAUTHORIZED) {
        throw f;
      }
      credential.invalidate(Audience.GRAPH.scope());
      postBatch(url, json, answers);
    }
  }

  private void postBatch(String url, byte[] json, BatchAnswers.Handler answers) {
    RequestInformation ri = request(HttpMethod.POST, url);
    ri.setStreamContent(new java.io.ByteArrayInputStream(json), "application/json");
    send(
        ri,
        url,
        r -> {
          BatchAnswers.read(r.body().byteStream(), answers);
          return Boolean.TRUE;
        });
  }

  /** A token for Graph was refused inside a batch: the next request asks for a new one. */
  @Override
  public void tokenRefused() {
    credential.invalidate(Audience.GRAPH.scope());
  }

  private RequestInformation request(HttpMethod method, String url) {
    RequestInformation ri = new RequestInformation();
    ri.httpMethod = method;
    ri.setUri(URI.create(url));
    ri.headers.add("Accept", "application/json");
    if (lowPriority) {
      ri.headers.add("x-ms-throttle-priority", "low");
    }
    return ri;
  }

  /** Reads the body of a 200 answer. */
  @FunctionalInterface
  private interface BodyReader<T> {
    T read(Response r) throws IOException;
  }

  private <T> T send(RequestInformation ri, String url, BodyReader<T> reader) {
    // The raw response, not Kiota's parsing: status, headers and body are read here, so an error
    // whose body is not JSON (an HTML 502 from a gateway) keeps its status and its classification
    Answer<T> answer = new Answer<>(url, reader);
    ResponseHandlerOption handler = new ResponseHandlerOption();
    handler.setResponseHandler(answer);
    ri.addRequestOptions(List.of(handler));
    try {
      adapter.sendPrimitive(ri, errors, InputStream.class);
      if (answer.result == null) {
        throw transportFailure("Requesting " + path(url), new IOException("no response"));
      }
      return answer.result;
    } catch (UncheckedIOException e) {
      throw transportFailure("Reading " + path(url), e);
    } catch (RuntimeException e) {
      if (e instanceof GraphFailure g) {
        throw g;
      }
      throw transportFailure("Requesting " + path(url), e);
    }
  }

  /** Reads one HTTP response: the reader's result from a 200, a {@link GraphFailure} otherwise. */
  private final class Answer<T> implements ResponseHandler {
    private final String url;
    private final BodyReader<T> reader;
    private T result;

    Answer(String url, BodyReader<T> reader) {
      this.url = url;
      this.reader = reader;
    }

    @Override
    public <N, M> M handleResponse(
        N nativeResponse, HashMap<String, ParsableFactory<? extends Parsable>> errorMappings) {
      try (Response r = (Response) nativeResponse) {
        ResponseBody body = r.body();
        if (r.code() == 200 && body != null) {
          result = reader.read(r);
          return null;
        }
        if (r.code() >= 200 && r.code() < 300) {
          throw new GraphFailure(
              GraphFailure.Kind.RETRIABLE,
              r.code(),
              null,
              null,
              "Graph answered " + r.code() + " for " + path(url) + " without a page",
              null);
        }
        String text = body == null ? "" : r.peekBody(MAX_ERROR_BODY_BYTES).string();
        String[] codeAndMessage = ErrorBody.codeAndMessage(text, r.header("Content-Type"));
        throw classify(
            r.code(), codeAndMessage[0], codeAndMessage[1], r.header("Retry-After"), url);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final long MAX_ERROR_BODY_BYTES = 16 * 1024;

  /**
   * A failure below HTTP: retriable when it is a network fault (an {@link IOException} in the cause
   * chain: reset, timeout, truncated body), permanent when it is a certificate that does not
   * validate (it will not validate on the next attempt either) or anything else (a programming
   * error must not loop).
   */
  static GraphFailure transportFailure(String what, Throwable e) {
    if (TokenFailures.isTokenFailure(e)) {
      boolean again = TokenFailures.isTransient(e);
      String code = TokenFailures.aadstsCode(e);
      return new GraphFailure(
          again ? GraphFailure.Kind.RETRIABLE : GraphFailure.Kind.PERMANENT,
          0,
          code,
          null,
          what
              + " failed: no token for Graph"
              + (code == null ? "" : " (" + code + ")")
              + ": "
              + rootMessage(e)
              + (again
                  ? ""
                  : "; check the credential settings (credential, tenant.id, client.id and its"
                      + " secret or certificate); dirpipe diagnose shows what the token endpoint says"),
          e);
    }
    boolean network = false;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException
          || t instanceof java.security.cert.CertPathValidatorException
          || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        return new GraphFailure(
            GraphFailure.Kind.PERMANENT,
            0,
            null,
            null,
            what
                + " failed: Graph's TLS certificate does not validate ("
                + t.getClass().getSimpleName()
                + "); check graph.url and the trust store",
            e);
      }
      if (t instanceof IOException) {
        network = true;
      }
    }
    return new GraphFailure(
        network ? GraphFailure.Kind.RETRIABLE : GraphFailure.Kind.PERMANENT,
        0,
        null,
        null,
        what + " failed: " + (network ? e.getMessage() : e),
        e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  /** The resource a URL lists: signIns of .../auditLogs/signIns?$top=... */
  private static String lastSegment(String url) {
    String path = url.replaceFirst("[?#].*", "");
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Graph's code for a call that needs an Entra ID P1/P2 tenant (sign-ins). */
  static final String NON_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

  /**
   * The one classification of a Graph answer: 429 throttled; 401 unauthorized (a fresh token is
   * asked once); 410 and an expired sync state resync; 408, 5xx retriable; anything else permanent.
   */
  @Override
  public GraphFailure classify(
      int status, String code, String message, String retryAfterHeader, String url) {
    Duration retryAfter = RetryAfter.parse(retryAfterHeader, time.now());
    String text =
        "Graph answered "
            + status
            + (code == null ? "" : " " + code)
            + " for "
            + path(url)
            + (message == null || message.isBlank() ? "" : ": " + message)
            + (NON_PREMIUM.equals(code)
                ? ". The tenant has no Entra ID P1 or P2 license, which this report needs: license"
                    + " it, or take "
                    + lastSegment(url)
                    + " out of extract.collections"
                : "");
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
    return new GraphFailure(kind, status, code, retryAfter, text, null);
  }

  static int intHeader(String v) {
    try {
      return v == null ? -1 : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static double doubleHeader(String v) {
    try {
      return v == null ? 0 : Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The path of a URL, without the query (which may carry tokens of Graph's own). */
  static String path(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  private static javax.net.ssl.SSLContext tls(javax.net.ssl.X509TrustManager trust) {
    try {
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
  }

  /**
   * Graph tokens for a plain-http Graph URL, which {@code IdentityConfig.graphUrl()} lets through
   * only for loopback or with {@code graph.allow-http} (a development sandbox in another
   * container): Kiota's Azure provider refuses http to any host but localhost. The token still goes
   * to the configured host only.
   */
  private record PlainHttpTokens(CachingCredential credential, String host)
      implements com.microsoft.kiota.authentication.AccessTokenProvider {
    @Override
    public String getAuthorizationToken(URI uri, Map<String, Object> context) {
      if (!getAllowedHostsValidator().isUrlHostValid(uri)) {
        return "";
      }
      return credential
          .getTokenSync(
              new com.azure.core.credential.TokenRequestContext().addScopes(Audience.GRAPH.scope()))
          .getToken();
    }

    @Override
    public com.microsoft.kiota.authentication.AllowedHostsValidator getAllowedHostsValidator() {
      return new com.microsoft.kiota.authentication.AllowedHostsValidator(host);
    }
  }

  /** What Kiota's Azure provider accepts over plain http. */
  private static boolean isLoopback(String host) {
    return host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }
}
