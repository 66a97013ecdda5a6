package io.dirpipe.sandbox.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.LoopbackServer;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pages of 999 users with {@code $select} read from the sandbox by a streaming client, sequentially
 * and with two concurrent readers, beside the baseline of the same HTTP stack serving one static
 * page.
 */
public final class PageServingBench {
  static final String SELECT =
      "id,displayName,givenName,surname,userPrincipalName,mail,mailNickname,accountEnabled,userType,jobTitle,department,companyName,officeLocation,usageLocation,employeeId,createdDateTime,onPremisesSyncEnabled,onPremisesImmutableId,onPremisesSamAccountName,onPremisesLastSyncDateTime,assignedLicenses,proxyAddresses,externalUserState";

  /** Figures of one run. */
  public record Result(
      int users,
      int pages,
      double pagesPerSecond,
      double usersPerSecond,
      double twoReadersPagesPerSecond,
      double staticPagesPerSecond,
      long pageBytes,
      double startSeconds) {}

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final JsonFactory json = new JsonFactory();

  public Result run(int users) throws Exception {
    Tenant.Spec spec = Tenant.Spec.forUsers(42, users);
    long started = System.nanoTime();
    try (Sandbox sandbox =
        Sandbox.start(
            new Sandbox.Options(0, 0, spec, List.of("Directory.Read.All"), Throttle.Quota.OFF))) {
      double startSeconds = (System.nanoTime() - started) / 1e9;
      Identity app = sandbox.application();
      String token =
          sandbox
              .issuer()
              .issue(
                  new TokenIssuer.Grant(
                      "https://graph.microsoft.com",
                      app.objectId(),
                      app.clientId(),
                      "1",
                      List.of("Directory.Read.All"),
                      null,
                      Duration.ofHours(2)));
      String first = sandbox.url() + "/v1.0/users?$top=999&$select=" + SELECT;
      scan(first, token); // warm-up
      long t0 = System.nanoTime();
      long[] scanned = scan(first, token);
      double seconds = (System.nanoTime() - t0) / 1e9;
      ExecutorService pool = Executors.newFixedThreadPool(2);
      long t1 = System.nanoTime();
      List<Future<long[]>> both = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        both.add(pool.submit(() -> scan(first, token)));
      }
      long pagesBoth = 0;
      for (Future<long[]> f : both) {
        pagesBoth += f.get()[0];
      }
      double secondsBoth = (System.nanoTime() - t1) / 1e9;
      pool.shutdown();
      byte[] page = get(first, token);
      double staticRate = staticPages(page, (int) scanned[0]);
      return new Result(
          users,
          (int) scanned[0],
          scanned[0] / seconds,
          scanned[1] / seconds,
          pagesBoth / secondsBoth,
          staticRate,
          page.length,
          startSeconds);
    }
  }

  /** Follows next links to the end; returns {pages, users}. */
  private long[] scan(String url, String token) throws IOException, InterruptedException {
    long pages = 0;
    long users = 0;
    while (url != null) {
      HttpResponse<InputStream> r =
          http.send(request(url, token), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + r.statusCode() + " from " + url);
      }
      String next = null;
      try (JsonParser p = json.createParser(r.body())) {
        int depth = 0;
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (t == JsonToken.START_OBJECT) {
            depth++;
            if (depth == 2) {
              users++;
            }
          } else if (t == JsonToken.END_OBJECT) {
            depth--;
          } else if (t == JsonToken.FIELD_NAME
              && depth == 1
              && p.currentName().equals("@odata.nextLink")) {
            p.nextToken();
            next = p.getValueAsString();
          }
        }
      }
      pages++;
      url = next;
    }
    return new long[] {pages, users};
  }

  private double staticPages(byte[] page, int pages) throws Exception {
    Surface fixed =
        new Surface() {
          @Override
          public boolean owns(String path) {
            return true;
          }

          @Override
          public void handle(Exchange ex) throws IOException {
            ex.send(200, "application/json", page);
          }
        };
    try (LoopbackServer server = LoopbackServer.http(0, List.of(fixed))) {
      String url = server.baseUrl() + "/static";
      for (int i = 0; i < pages; i++) {
        get(url, null);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < pages; i++) {
        try (InputStream in =
                http.send(request(url, null), HttpResponse.BodyHandlers.ofInputStream()).body();
            JsonParser p = json.createParser(in)) {
          while (p.nextToken() != null) {
            // parse as the sandbox pages are parsed
          }
        }
      }
      return pages / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private byte[] get(String url, String token) throws IOException, InterruptedException {
    return http.send(request(url, token), HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  private static HttpRequest request(String url, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }
}
