package io.dirpipe.sandbox.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Faults;
import io.dirpipe.sandbox.http.Stats;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.tenant.GraphPermissions;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.InvalidTokenException;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph on the sandbox's HTTP port: routing, authentication, throttling, faults, errors.
 */
public final class GraphSurface implements Surface {
  private static final Pattern PATH = Pattern.compile("/(v1\\.0|beta)(/.*)?");
  private static final Pattern BATCH = Pattern.compile("/(v1\\.0|beta)/\\$batch");
  private static final String ID = "([0-9a-fA-F-]{36})";
  private static final String COLLECTION =
      "(users|groups|devices|applications|servicePrincipals|directoryRoles|administrativeUnits"
          + "|oauth2PermissionGrants)";

  /** A Graph route: method, path regex (after the version) and what answers it. */
  private record Route(String method, Pattern path, String name, Action action) {}

  @FunctionalInterface
  private interface Action {
    Reply run(Call call, Matcher m) throws IOException;
  }

  private final TokenIssuer issuer;
  private final Throttle throttle;
  private final Faults faults;
  private final Stats stats;
  private final List<Route> routes;
  private volatile java.util.function.Consumer<String> beforeAnswer = request -> {};

  public GraphSurface(
      Tenant tenant, TokenIssuer issuer, Throttle throttle, Faults faults, Stats stats) {
    this.issuer = issuer;
    this.throttle = throttle;
    this.faults = faults;
    this.stats = stats;
    Collections reads = new Collections(tenant);
    Delta delta = new Delta(tenant, faults);
    Writes writes = new Writes(tenant);
    AuditLogs auditLogs = new AuditLogs(tenant);
    this.routes =
        List.of(
            route("GET", "/" + COLLECTION, "GET /{collection}", (c, m) -> reads.list(c, kind(m))),
            route(
                "GET",
                "/" + COLLECTION + "/\\$count",
                "GET /{collection}/$count",
                (c, m) -> reads.count(c, kind(m))),
            route(
                "GET",
                "/(users|groups|devices|applications|servicePrincipals|administrativeUnits"
                    + "|oauth2PermissionGrants)/delta(?:\\(\\))?",
                "GET /{collection}/delta",
                (c, m) -> delta.delta(c, kind(m))),
            route(
                "GET",
                "/groups/" + ID + "/members",
                "GET /groups/{id}/members",
                (c, m) -> reads.members(c, m.group(1))),
            route(
                "GET",
                "/identity/conditionalAccess/policies",
                "GET /identity/conditionalAccess/policies",
                (c, m) -> reads.conditionalAccess(c)),
            route(
                "GET",
                "/roleManagement/directory/(roleDefinitions|roleAssignments|roleEligibilitySchedules"
                    + "|roleAssignmentSchedules)",
                "GET /roleManagement/directory/{collection}",
                (c, m) -> reads.roleManagement(c, m.group(1))),
            route(
                "GET",
                "/auditLogs/(directoryAudits|signIns)",
                "GET /auditLogs/{stream}",
                (c, m) -> auditLogs.list(c, m.group(1))),
            route(
                "GET",
                "/reports/authenticationMethods/userRegistrationDetails",
                "GET /reports/authenticationMethods/userRegistrationDetails",
                (c, m) -> auditLogs.registrations(c)),
            route(
                "GET",
                "/directoryRoleTemplates",
                "GET /directoryRoleTemplates",
                (c, m) -> reads.directoryRoleTemplates(c)),
            // v1.0 lists administrative units under /directory; their delta is /administrativeUnits
            route(
                "GET",
                "/directory/administrativeUnits",
                "GET /directory/administrativeUnits",
                (c, m) -> reads.list(c, Kind.ADMINISTRATIVE_UNIT)),
            route(
                "GET",
                "/(?:directory/)?administrativeUnits/" + ID + "/members",
                "GET /directory/administrativeUnits/{id}/members",
                (c, m) ->
                    reads.related(
                        c,
                        Kind.ADMINISTRATIVE_UNIT,
                        m.group(1),
                        GraphPermissions.toRead(Kind.ADMINISTRATIVE_UNIT))),
            route(
                "GET",
                "/servicePrincipals/" + ID + "/appRoleAssignedTo",
                "GET /servicePrincipals/{id}/appRoleAssignedTo",
                (c, m) -> reads.appRoleAssignedTo(c, m.group(1))),
            route(
                "GET",
                "/groups/" + ID + "/owners",
                "GET /groups/{id}/owners",
                (c, m) ->
                    reads.related(c, Kind.GROUP, m.group(1), GraphPermissions.toReadMembers())),
            route(
                "GET",
                "/applications/" + ID + "/owners",
                "GET /applications/{id}/owners",
                (c, m) ->
                    reads.related(
                        c,
                        Kind.APPLICATION,
                        m.group(1),
                        GraphPermissions.toRead(Kind.APPLICATION))),
            route(
                "GET",
                "/servicePrincipals/" + ID + "/owners",
                "GET /servicePrincipals/{id}/owners",
                (c, m) ->
                    reads.related(
                        c,
                        Kind.SERVICE_PRINCIPAL,
                        m.group(1),
                        GraphPermissions.toRead(Kind.SERVICE_PRINCIPAL))),
            route(
                "GET",
                "/directoryRoles/" + ID + "/members",
                "GET /directoryRoles/{id}/members",
                (c, m) ->
                    reads.related(
                        c,
                        Kind.DIRECTORY_ROLE,
                        m.group(1),
                        GraphPermissions.toRead(Kind.DIRECTORY_ROLE))),
            route(
                "GET",
                "/groups/" + ID + "/members/\\$count",
                "GET /groups/{id}/members/$count",
                (c, m) -> reads.memberCount(c, m.group(1))),
            route(
                "POST",
                "/groups/" + ID + "/members/\\$ref",
                "POST /groups/{id}/members/$ref",
                (c, m) -> writes.addMember(c, reads.group(m.group(1)))),
            route(
                "DELETE",
                "/groups/" + ID + "/members/" + ID + "/\\$ref",
                "DELETE /groups/{id}/members/{id}/$ref",
                (c, m) -> writes.removeMember(c, reads.group(m.group(1)), m.group(2))),
            route(
                "GET",
                "/servicePrincipals/" + ID + "/appRoleAssignments",
                "GET /servicePrincipals/{id}/appRoleAssignments",
                (c, m) -> writes.listAssignments(c, m.group(1))),
            route(
                "POST",
                "/servicePrincipals/" + ID + "/appRoleAssignments",
                "POST /servicePrincipals/{id}/appRoleAssignments",
                (c, m) -> writes.assign(c, m.group(1))),
            route(
                "GET",
                "/" + COLLECTION + "/" + ID,
                "GET /{collection}/{id}",
                (c, m) -> reads.get(c, kind(m), m.group(2))),
            route(
                "POST",
                "/(users|groups)",
                "POST /{collection}",
                (c, m) -> writes.create(c, kind(m))),
            route(
                "PATCH",
                "/(users|groups)/" + ID,
                "PATCH /{collection}/{id}",
                (c, m) -> writes.update(c, kind(m), m.group(2))),
            route(
                "DELETE",
                "/(users|groups|devices)/" + ID,
                "DELETE /{collection}/{id}",
                (c, m) -> writes.delete(c, kind(m), m.group(2))));
  }

  private static Route route(String method, String regex, String name, Action action) {
    return new Route(method, Pattern.compile(regex), name, action);
  }

  private static Kind kind(Matcher m) {
    return Kind.ofSegment(m.group(1));
  }

  @Override
  public boolean owns(String path) {
    return PATH.matcher(path).matches();
  }

  /**
   * Runs {@code hook} with each Graph request's path and query before it is answered: tests change
   * the tenant between two pages of a run, exactly there.
   */
  public void beforeAnswer(java.util.function.Consumer<String> hook) {
    this.beforeAnswer = hook;
  }

  /**
   * A request answered: the reply, its call (null when it failed before one), its route, and the
   * body size its latency is modelled on (a batch's: its largest answer's, see {@link #batch}).
   */
  private record Answered(Reply reply, Call call, String name, String route, int latencyBytes) {}

  @Override
  public void handle(Exchange ex) throws IOException {
    Answered a =
        "POST".equals(ex.method()) && BATCH.matcher(ex.path()).matches() ? batch(ex) : answer(ex);
    a.reply().headers().forEach(ex::responseHeader);
    // counted before the answer leaves: a client that has read it sees it counted
    stats.request(a.name(), a.reply().status());
    send(ex, a.reply(), a.route(), a.latencyBytes());
  }

  /** Routes, authenticates, throttles and answers one request (alone or inside a batch). */
  private Answered answer(Exchange ex) {
    beforeAnswer.accept(ex.rawQuery() == null ? ex.path() : ex.path() + "?" + ex.rawQuery());
    Matcher version = PATH.matcher(ex.path());
    String rest = version.matches() && version.group(2) != null ? version.group(2) : "/";
    String name = ex.method() + " " + rest;
    String[] ids = ids(ex);
    Reply reply;
    Call call = null;
    try {
      if (!version.matches()) {
        throw GraphError.badRequest("Invalid version in the request URL.");
      }
      Route route = null;
      Matcher m = null;
      for (Route r : routes) {
        Matcher candidate = r.path.matcher(rest);
        if (candidate.matches() && r.method.equals(ex.method())) {
          route = r;
          m = candidate;
          name = route.name; // faults are counted by route too
          break;
        }
      }
      injectFault(ex);
      if (route == null) {
        String segment = rest.replaceFirst("^/", "").split("/")[0];
        throw GraphError.badRequest("Resource not found for the segment '" + segment + "'.");
      }
      call = new Call(ex, version.group(1), authenticate(ex), throttle);
      reply = route.action.run(call, m);
    } catch (GraphError e) {
      reply = error(e, ids);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    reply.headers().put("request-id", ids[0]);
    reply.headers().put("client-request-id", ids[1]);
    meter(reply, call);
    return new Answered(
        reply,
        call,
        name,
        name.replace("{collection}", rest.replaceFirst("^/", "").split("/")[0]),
        reply.body().length);
  }

  /**
   * A JSON batch: authenticated and faulted as one request, then each of its requests answered on
   * its own and counted under its own route (a batch of 20 member listings is 20 of {@code GET
   * /groups/{id}/members} and one {@code POST /$batch}). Graph runs a batch's requests side by
   * side, so a batch takes as long as its slowest request: its latency is its largest answer's.
   */
  private Answered batch(Exchange ex) {
    String[] ids = ids(ex);
    int[] largest = {0};
    Reply reply;
    try {
      injectFault(ex);
      authenticate(ex);
      Matcher version = BATCH.matcher(ex.path());
      version.matches();
      reply =
          Batch.run(
              ex,
              version.group(1),
              request -> {
                Answered a = answer(request);
                stats.request(a.name(), a.reply().status());
                largest[0] = Math.max(largest[0], a.latencyBytes());
                return a.reply();
              });
    } catch (GraphError e) {
      reply = error(e, ids);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    reply.headers().put("request-id", ids[0]);
    reply.headers().put("client-request-id", ids[1]);
    return new Answered(
        reply,
        null,
        "POST /$batch",
        "POST /$batch",
        reply.status() == 200 ? largest[0] : reply.body().length);
  }

  /** The request-id of an answer, and the client-request-id it echoes (its own when none). */
  private static String[] ids(Exchange ex) {
    String requestId = UUID.randomUUID().toString();
    String clientRequestId = ex.header("client-request-id");
    return new String[] {requestId, clientRequestId != null ? clientRequestId : requestId};
  }

  private void injectFault(Exchange ex) {
    String refused = faults.refuseFilterOn;
    String filter = ex.query("$filter");
    if (refused != null && filter != null && filter.contains(refused)) {
      throw GraphError.unsupportedQuery(
          "Unsupported or invalid query filter clause specified for property '"
              + refused
              + "' (refused by the sandbox's faults).");
    }
    switch (faults.roll()) {
      case THROTTLE -> throw GraphError.throttled(faults.retryAfterSeconds);
      case ERROR_500 ->
          throw new GraphError(
              500, "generalException", "An unexpected error occurred (injected by the sandbox).");
      case ERROR_503 ->
          throw new GraphError(
              503,
              "serviceNotAvailable",
              "The service is temporarily unavailable (injected by the sandbox).",
              1);
      case ERROR_504 ->
          throw new GraphError(504, "UnknownError", "Gateway timeout (injected by the sandbox).");
      case RESET -> ex.inject(Exchange.Fault.RESET);
      case TRUNCATE -> ex.inject(Exchange.Fault.TRUNCATE);
      case NONE -> {}
    }
  }

  private ObjectNode authenticate(Exchange ex) {
    String auth = ex.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() <= 7) {
      throw GraphError.invalidToken("Access token is empty.");
    }
    ObjectNode claims;
    try {
      claims = issuer.verify(auth.substring(7).trim());
    } catch (InvalidTokenException e) {
      throw switch (e.reason()) {
        case EXPIRED ->
            GraphError.invalidToken("Lifetime validation failed, the token is expired.");
        case NOT_YET_VALID ->
            GraphError.invalidToken("Lifetime validation failed, the token is not yet valid.");
        case MALFORMED -> GraphError.invalidToken("IDX14100: JWT is not well formed.");
        case SIGNATURE -> GraphError.invalidToken("Access token validation failure.");
      };
    }
    String aud = claims.path("aud").asText();
    io.dirpipe.core.Cloud cloud = issuer.cloud();
    if (!(aud.equals(cloud.graph())
        || aud.equals(cloud.graph() + "/")
        || aud.equals(GraphPermissions.GRAPH_APP_ID))) {
      throw GraphError.invalidToken("Access token validation failure. Invalid audience.");
    }
    if (!claims.path("tid").asText().equals(issuer.tenantId())) {
      throw GraphError.invalidToken("Access token validation failure. Invalid issuer.");
    }
    return claims;
  }

  private Reply error(GraphError e, String[] ids) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("date", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
    inner.put("request-id", ids[0]);
    inner.put("client-request-id", ids[1]);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", e.code);
    error.put("message", e.getMessage());
    error.put("innerError", inner);
    Reply reply;
    try {
      reply = Reply.json(e.status, Exchange.JSON.writeValueAsBytes(Map.of("error", error)));
    } catch (IOException io) {
      throw new IllegalStateException(io);
    }
    if (e.location != null) {
      reply.headers().put("Location", e.location);
    }
    if (e.status == 429) {
      reply.headers().put("Retry-After", Integer.toString(e.retryAfterSeconds));
      reply.headers().put("x-ms-throttle-scope", "Tenant_Application/Read/" + "*");
      reply.headers().put("x-ms-throttle-information", "ResourceUnitLimitExceeded");
      stats.add("throttled", 1);
    } else if (e.retryAfterSeconds > 0) {
      reply.headers().put("Retry-After", Integer.toString(e.retryAfterSeconds));
    }
    return reply;
  }

  /** The RU headers of an answer, and the throttling scope of a 429. */
  private void meter(Reply reply, Call call) {
    if (call == null) {
      return;
    }
    if (call.resourceUnits() > 0) {
      reply.headers().put("x-ms-resource-unit", Integer.toString(call.resourceUnits()));
      stats.add("resourceUnits", call.resourceUnits());
      if (call.usedFraction() >= 0.8) {
        reply
            .headers()
            .put(
                "x-ms-throttle-limit-percentage",
                String.format(Locale.ROOT, "%.2f", call.usedFraction()));
      }
    }
    if (reply.status() == 429) {
      reply.headers().put("x-ms-throttle-scope", "Tenant_Application/Read/" + call.appTenant());
    }
  }

  /**
   * Sends the answer after the configured latency, which is summed per route and collection ({@code
   * latencyMs GET /users}): a sequential cursor's share of the run's wall time.
   */
  private void send(Exchange ex, Reply reply, String route, int latencyBytes) throws IOException {
    long slept = faults.delay(latencyBytes);
    if (slept > 0) {
      stats.add("latencyMs " + route, slept);
    }
    if (reply.body().length == 0) {
      ex.sendEmpty(reply.status());
    } else {
      ex.send(reply.status(), reply.contentType(), reply.body());
    }
  }
}
