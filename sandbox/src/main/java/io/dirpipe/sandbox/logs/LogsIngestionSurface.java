package io.dirpipe.sandbox.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Faults;
import io.dirpipe.sandbox.http.Refusal;
import io.dirpipe.sandbox.http.Stats;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.token.InvalidTokenException;
import io.dirpipe.sandbox.token.TokenIssuer;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Logs Ingestion endpoint of a data collection rule. */
public final class LogsIngestionSurface implements Surface {
  private static final String ROUTE = "POST /dataCollectionRules/{dcr}/streams/{stream}";
  private static final Pattern PATH =
      Pattern.compile("/dataCollectionRules/([^/]+)/streams/([^/]+)");

  /** Bytes per call, uncompressed (FACTS.md §8: 1 MB). */
  public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

  private final TokenIssuer issuer;
  private final Faults faults;
  private final Stats stats;
  private final Ingested ingested;
  private final Map<String, Set<String>> streamsByRule;
  private volatile int maxBytes = DEFAULT_MAX_BYTES;
  private final Bucket requests =
      Bucket.builder()
          .addLimit(
              Bandwidth.builder()
                  .capacity(12_000)
                  .refillGreedy(12_000, Duration.ofMinutes(1))
                  .build())
          .build();

  /**
   * @param streamsByRule the data collection rules (immutable ids) and the streams each declares
   */
  public LogsIngestionSurface(
      TokenIssuer issuer,
      Faults faults,
      Stats stats,
      Ingested ingested,
      Map<String, Set<String>> streamsByRule) {
    this.issuer = issuer;
    this.faults = faults;
    this.stats = stats;
    this.ingested = ingested;
    this.streamsByRule = streamsByRule;
  }

  /** Lowers the per-call limit (tests of batch splitting). */
  public void maxBytes(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean owns(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public void handle(Exchange ex) throws IOException {
    Matcher m = PATH.matcher(ex.path());
    m.matches();
    try {
      ingest(ex, m.group(1), m.group(2));
      stats.request(ROUTE, 204);
      ex.sendEmpty(204);
    } catch (Refusal r) {
      stats.request(ROUTE, r.status());
      ex.responseHeader("x-ms-error-code", r.code());
      if (r.retryAfterSeconds() > 0) {
        ex.responseHeader("Retry-After", Integer.toString(r.retryAfterSeconds()));
      }
      ex.sendJson(r.status(), Map.of("error", Map.of("code", r.code(), "message", r.getMessage())));
    }
  }

  private void ingest(Exchange ex, String rule, String stream) throws IOException {
    if (!ex.method().equals("POST")) {
      throw new Refusal(405, "MethodNotAllowed", "Only POST is supported.", 0);
    }
    authenticate(ex);
    if (!streamsByRule.containsKey(rule)) {
      throw new Refusal(
          404,
          "InvalidDataCollectionRule",
          "Data collection rule with immutable id '" + rule + "' not found.",
          0);
    }
    if (!streamsByRule.get(rule).contains(stream)) {
      throw new Refusal(
          400,
          "InvalidStream",
          "Stream '" + stream + "' is not declared in data collection rule '" + rule + "'.",
          0);
    }
    ConsumptionProbe probe = requests.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new Refusal(
          429,
          "TooManyRequests",
          "Rate limit of 12000 requests per minute exceeded.",
          (int) Math.max(1, probe.getNanosToWaitForRefill() / 1_000_000_000L));
    }
    switch (faults.roll()) {
      case THROTTLE ->
          throw new Refusal(
              429,
              "TooManyRequests",
              "Too many requests (injected by the sandbox).",
              faults.retryAfterSeconds);
      case ERROR_500 ->
          throw new Refusal(
              500, "InternalServerError", "Internal error (injected by the sandbox).", 0);
      case ERROR_503 ->
          throw new Refusal(
              503, "ServiceUnavailable", "Service unavailable (injected by the sandbox).", 1);
      case ERROR_504 ->
          throw new Refusal(504, "GatewayTimeout", "Gateway timeout (injected by the sandbox).", 0);
      case RESET -> ex.inject(Exchange.Fault.RESET);
      case TRUNCATE, NONE -> {}
    }
    byte[] body = ex.body();
    // UNVERIFIED where the real service measures its 1 MB: azure-monitor-ingestion cuts batches
    // near
    // 1 MiB of JSON and gzips them, and its batches are accepted, so the sandbox measures the bytes
    // sent.
    if (ex.wireLength() > maxBytes) {
      throw new Refusal(
          413,
          "ContentLengthLimitExceeded",
          "The request body of "
              + ex.wireLength()
              + " bytes exceeds the limit of "
              + maxBytes
              + " bytes.",
          0);
    }
    JsonNode rows;
    try {
      rows = Exchange.JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new Refusal(
          400, "InvalidContent", "The body is not valid JSON: " + e.getOriginalMessage(), 0);
    }
    if (rows == null || !rows.isArray()) {
      throw new Refusal(400, "InvalidContent", "The body must be a JSON array of objects.", 0);
    }
    faults.delay(body.length);
    ingested.add(stream, rows);
    stats.add("rowsIngested", rows.size());
  }

  private void authenticate(Exchange ex) {
    String auth = ex.header("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      throw new Refusal(401, "InvalidAuthenticationToken", "Authentication token is missing.", 0);
    }
    ObjectNode claims;
    try {
      claims = issuer.verify(auth.substring(7).trim());
    } catch (InvalidTokenException e) {
      throw new Refusal(
          401,
          "InvalidAuthenticationToken",
          "The access token is invalid: " + e.getMessage() + ".",
          0);
    }
    String monitor = issuer.cloud().monitor();
    if (!Set.of(monitor, monitor + "/").contains(claims.path("aud").asText())) {
      throw new Refusal(
          401,
          "InvalidAuthenticationTokenAudience",
          "The access token has an invalid audience '"
              + claims.path("aud").asText()
              + "': request a token for https://monitor.azure.com.",
          0);
    }
  }
}
