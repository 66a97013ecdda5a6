package io.dirpipe.sandbox.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Refusal;
import io.dirpipe.sandbox.http.Stats;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.InvalidTokenException;
import io.dirpipe.sandbox.token.TokenIssuer;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ARM reads of the sandbox subscription, with ARM's error format and read throttling (250 burst,
 * 25/s).
 */
public final class ArmSurface implements Surface {
  private static final Pattern PATH =
      Pattern.compile(
          "/subscriptions/([^/]+)(/resourcegroups|/providers/Microsoft\\.Authorization/roleAssignments)",
          Pattern.CASE_INSENSITIVE);
  private static final Set<String> AUDIENCES =
      Set.of(
          "https://management.azure.com/",
          "https://management.azure.com",
          "https://management.core.windows.net/");
  static final String READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
  private static final int PAGE = 2;

  private final Tenant tenant;
  private final TokenIssuer issuer;
  private final Stats stats;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public ArmSurface(Tenant tenant, TokenIssuer issuer, Stats stats) {
    this.tenant = tenant;
    this.issuer = issuer;
    this.stats = stats;
  }

  @Override
  public boolean owns(String path) {
    return path.toLowerCase().startsWith("/subscriptions/");
  }

  @Override
  public void handle(Exchange ex) throws IOException {
    int status = 200;
    Object answer;
    try {
      answer = read(ex);
    } catch (Refusal e) {
      status = e.status();
      if (e.retryAfterSeconds() > 0) {
        ex.responseHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
      }
      answer = Map.of("error", Map.of("code", e.code(), "message", e.getMessage()));
    }
    stats.request("GET /subscriptions/{id}/...", status);
    ex.sendJson(status, answer);
  }

  private Object read(Exchange ex) {
    Matcher m = PATH.matcher(ex.path());
    if (!ex.method().equals("GET") || !m.matches()) {
      throw new Refusal(
          404,
          "InvalidResourceType",
          "The resource type could not be found in the namespace for api version '"
              + ex.query("api-version")
              + "'.",
          0);
    }
    if (ex.query("api-version") == null) {
      throw new Refusal(
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.",
          0);
    }
    ObjectNode claims = authenticate(ex);
    String subscription = m.group(1);
    boolean groups = m.group(2).equalsIgnoreCase("/resourcegroups");
    String action =
        groups
            ? "Microsoft.Resources/subscriptions/resourcegroups/read"
            : "Microsoft.Authorization/roleAssignments/read";
    String oid = claims.path("oid").asText();
    if (!subscription.equals(tenant.subscriptionId()) || !tenant.armReaders().contains(oid)) {
      throw new Refusal(
          403,
          "AuthorizationFailed",
          "The client '"
              + oid
              + "' with object id '"
              + oid
              + "' does not have authorization to perform action '"
              + action
              + "' over scope '/subscriptions/"
              + subscription
              + "' or the scope is invalid. If access was recently granted, please refresh your credentials.",
          0);
    }
    Bucket bucket =
        buckets.computeIfAbsent(
            oid,
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(250)
                            .refillGreedy(25, Duration.ofSeconds(1))
                            .build())
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    ex.responseHeader(
        "x-ms-ratelimit-remaining-subscription-reads", Long.toString(probe.getRemainingTokens()));
    if (!probe.isConsumed()) {
      throw new Refusal(
          429,
          "TooManyRequests",
          "The request is being throttled.",
          (int) Math.max(1, probe.getNanosToWaitForRefill() / 1_000_000_000L));
    }
    List<Map<String, Object>> all = groups ? resourceGroups() : roleAssignments();
    int start = ex.query("$skiptoken") == null ? 0 : Integer.parseInt(ex.query("$skiptoken"));
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("value", all.subList(Math.min(start, all.size()), Math.min(start + PAGE, all.size())));
    if (start + PAGE < all.size()) {
      page.put(
          "nextLink",
          ex.baseUrl()
              + ex.path()
              + "?api-version="
              + ex.query("api-version")
              + "&$skiptoken="
              + (start + PAGE));
    }
    return page;
  }

  private List<Map<String, Object>> resourceGroups() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String name : List.of("dirpipe", "identity", "network", "monitoring", "data")) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("id", "/subscriptions/" + tenant.subscriptionId() + "/resourceGroups/" + name);
      g.put("name", name);
      g.put("type", "Microsoft.Resources/resourceGroups");
      g.put("location", "westeurope");
      g.put("properties", Map.of("provisioningState", "Succeeded"));
      list.add(g);
    }
    return list;
  }

  private List<Map<String, Object>> roleAssignments() {
    List<Map<String, Object>> list = new ArrayList<>();
    String scope = "/subscriptions/" + tenant.subscriptionId();
    for (String oid : tenant.armReaders()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("id", scope + "/providers/Microsoft.Authorization/roleAssignments/" + oid);
      a.put("name", oid);
      a.put("type", "Microsoft.Authorization/roleAssignments");
      a.put(
          "properties",
          Map.of(
              "roleDefinitionId",
              scope + "/providers/Microsoft.Authorization/roleDefinitions/" + READER_ROLE,
              "principalId",
              oid,
              "principalType",
              "ServicePrincipal",
              "scope",
              scope));
      list.add(a);
    }
    return list;
  }

  private ObjectNode authenticate(Exchange ex) {
    String auth = ex.header("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      throw new Refusal(
          401,
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.",
          0);
    }
    ObjectNode claims;
    try {
      claims = issuer.verify(auth.substring(7).trim());
    } catch (InvalidTokenException e) {
      throw new Refusal(
          401,
          e.reason() == InvalidTokenException.Reason.EXPIRED
              ? "ExpiredAuthenticationToken"
              : "InvalidAuthenticationToken",
          e.reason() == InvalidTokenException.Reason.EXPIRED
              ? "The access token expiry UTC time is earlier than current UTC time."
              : "The access token is invalid.",
          0);
    }
    String arm = issuer.cloud().arm();
    java.util.Set<String> audiences =
        issuer.cloud() == io.dirpipe.core.Cloud.PUBLIC
            ? AUDIENCES
            : java.util.Set.of(arm, arm + "/");
    if (!audiences.contains(claims.path("aud").asText())) {
      throw new Refusal(
          401,
          "InvalidAuthenticationTokenAudience",
          "The access token has been obtained for wrong audience or resource '"
              + claims.path("aud").asText()
              + "'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.azure.com/'.",
          0);
    }
    return claims;
  }
}
