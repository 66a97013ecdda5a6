package io.dirpipe.identity.graph;

import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.dirpipe.identity.Audience;
import io.dirpipe.identity.IdentityException;
import io.dirpipe.identity.credential.CachingCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTPS (or loopback HTTP) to one API host with a bearer token of one audience. Paths are
 * relative to the base URL, so a token never leaves its host. A 401 drops the cached token and
 * retries once with a fresh one.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status and JSON body (a missing node when empty or not JSON). */
  public record Response(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** Graph's and ARM's {@code error.code}, or null. */
    public String errorCode() {
      return body.path("error").hasNonNull("code")
          ? body.path("error").path("code").asText()
          : null;
    }

    public String errorMessage() {
      return body.path("error").path("message").asText("");
    }
  }

  private final String baseUrl;
  private final CachingCredential credential;
  private final Audience audience;
  private final HttpClient http;
  private final io.dirpipe.core.Cloud cloud;

  public ApiClient(
      String baseUrl, CachingCredential credential, Audience audience, HttpClient http) {
    this(baseUrl, credential, audience, http, io.dirpipe.core.Cloud.PUBLIC);
  }

  /**
   * @param cloud whose audience the token is asked for (the credential translates the scope)
   */
  public ApiClient(
      String baseUrl,
      CachingCredential credential,
      Audience audience,
      HttpClient http,
      io.dirpipe.core.Cloud cloud) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.credential = credential;
    this.audience = audience;
    this.http = http;
    this.cloud = cloud;
  }

  /**
   * The scope the token is for in this client's cloud, e.g. https://graph.microsoft.us/.default.
   */
  public String expectedScope() {
    return cloud.scope(audience.scope());
  }

  /** The current token of this client's audience (acquiring it if needed). */
  public String token() {
    return credential
        .getTokenSync(new TokenRequestContext().addScopes(audience.scope()))
        .getToken();
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  private Response send(String method, String path, JsonNode body) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    Response r = once(method, path, body);
    if (r.status() == 401) {
      credential.invalidate(audience.scope());
      r = once(method, path, body);
    }
    return r;
  }

  private Response once(String method, String path, JsonNode body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token())
            .header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), parse(r.body()));
    } catch (IOException e) {
      throw new IdentityException(
          IdentityException.Reason.TRANSIENT,
          method + " " + baseUrl + pathOnly(path) + " failed: " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdentityException(
          IdentityException.Reason.TRANSIENT,
          "Interrupted during " + method + " " + baseUrl + pathOnly(path),
          e);
    }
  }

  private static String pathOnly(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
