package io.dirpipe.sandbox.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * One request and its answer. Bodies are sent with a Content-Length (never chunked), which lets a
 * fault cut a body short so that the client sees a truncated response, as on a broken connection.
 */
public final class Exchange {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpExchange http;
  private final String method;
  private final String path;
  private final String rawQuery;
  private final Map<String, List<String>> query;
  private final java.util.function.UnaryOperator<String> headers;
  private final String baseUrl;
  private byte[] body;
  private int wireLength;

  private int status;
  private Fault fault = Fault.NONE;

  /** What goes wrong with this answer. */
  public enum Fault {
    NONE,
    RESET,
    TRUNCATE
  }

  Exchange(HttpExchange http, String baseUrl) {
    this.http = http;
    // links point where the client came from (localhost or 127.0.0.1, an advertised name), as
    // Graph's point at the host that was asked
    String host = http.getRequestHeaders().getFirst("Host");
    this.baseUrl =
        host == null || host.isBlank()
            ? baseUrl
            : baseUrl.substring(0, baseUrl.indexOf("://") + 3) + host;
    java.net.URI uri = http.getRequestURI();
    String raw = uri.getRawPath() == null ? "/" : uri.getRawPath();
    // msal4j 1.23 requests "//metadata/identity/...": a URI parser reads "metadata" as an
    // authority.
    if (uri.getScheme() == null && uri.getRawAuthority() != null) {
      raw = "/" + uri.getRawAuthority() + raw;
    }
    this.path = raw.startsWith("//") ? raw.substring(1) : raw;
    this.method = http.getRequestMethod();
    this.rawQuery = uri.getRawQuery();
    this.query = parseQuery(rawQuery);
    this.headers = name -> http.getRequestHeaders().getFirst(name);
  }

  private Exchange(
      Exchange outer, String method, String path, String rawQuery, Map<String, String> headers) {
    this.http = null;
    this.baseUrl = outer.baseUrl;
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    this.query = parseQuery(rawQuery);
    Map<String, String> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    // a request of a JSON batch is authenticated by the batch's token
    this.headers = name -> byName.containsKey(name) ? byName.get(name) : outer.header(name);
    this.body = new byte[0];
  }

  /**
   * One request of a JSON batch ({@code POST /$batch}): its method, path (from the root, e.g.
   * {@code /v1.0/groups/{id}/members}), raw query and own headers; anything else it asks of its
   * request comes from the batch. It is answered inside the batch's body, never sent by itself.
   */
  public static Exchange inner(
      Exchange outer, String method, String path, String rawQuery, Map<String, String> headers) {
    return new Exchange(outer, method, path, rawQuery, headers);
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  /** Scheme, host and port of this server, e.g. {@code http://127.0.0.1:41000}. */
  public String baseUrl() {
    return baseUrl;
  }

  public String header(String name) {
    return headers.apply(name);
  }

  /** The first value of a query parameter (names are case-sensitive, like Graph's). */
  public String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public Map<String, List<String>> queryParameters() {
    return query;
  }

  public String rawQuery() {
    return rawQuery;
  }

  /** The request body, gunzipped when sent with {@code Content-Encoding: gzip}. */
  /** Bytes of the body as sent (compressed when gzip). */
  public int wireLength() throws IOException {
    body();
    return wireLength;
  }

  public byte[] body() throws IOException {
    if (body == null) {
      byte[] wire;
      try (InputStream raw = http.getRequestBody()) {
        wire = raw.readAllBytes();
      }
      wireLength = wire.length;
      if ("gzip".equalsIgnoreCase(header("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(wire))) {
          body = in.readAllBytes();
        }
      } else {
        body = wire;
      }
    }
    return body;
  }

  public String bodyText() throws IOException {
    return new String(body(), StandardCharsets.UTF_8);
  }

  public void responseHeader(String name, String value) {
    http.getResponseHeaders().set(name, value);
  }

  public void inject(Fault fault) {
    this.fault = fault;
  }

  public int status() {
    return status;
  }

  public void sendJson(int status, Object value) throws IOException {
    send(status, "application/json", JSON.writeValueAsBytes(value));
  }

  public void sendEmpty(int status) throws IOException {
    this.status = status;
    if (fault == Fault.RESET) {
      http.close();
      return;
    }
    http.sendResponseHeaders(status, -1);
    http.close();
  }

  public void send(int status, String contentType, byte[] bytes) throws IOException {
    this.status = status;
    if (fault == Fault.RESET) {
      http.close(); // no answer at all: the client sees the connection closed
      return;
    }
    http.getResponseHeaders().set("Content-Type", contentType);
    if (fault == Fault.TRUNCATE && bytes.length > 1) {
      // The JDK server cannot drop a connection mid-body (an unfinished fixed-length body hangs the
      // client), so a truncated answer is a complete chunked message whose JSON stops half-way.
      http.sendResponseHeaders(status, 0);
      try (OutputStream out = http.getResponseBody()) {
        out.write(bytes, 0, bytes.length / 2);
      } finally {
        http.close();
      }
      return;
    }
    http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = http.getResponseBody()) {
      out.write(bytes);
    } finally {
      http.close();
    }
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
