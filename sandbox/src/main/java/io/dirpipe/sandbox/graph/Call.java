package io.dirpipe.sandbox.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.tenant.GraphPermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One authenticated Graph request: its exchange, API version, token claims and throttling account.
 */
final class Call {
  final Exchange ex;
  final String version;
  final ObjectNode claims;
  private final Throttle throttle;
  private int resourceUnits;
  private double usedFraction;

  Call(Exchange ex, String version, ObjectNode claims, Throttle throttle) {
    this.ex = ex;
    this.version = version;
    this.claims = claims;
    this.throttle = throttle;
  }

  /** {@code http://127.0.0.1:P/v1.0}: the base of next links and contexts. */
  String base() {
    return ex.baseUrl() + "/" + version;
  }

  String appTenant() {
    return claims.path("appid").asText() + "/" + claims.path("tid").asText();
  }

  /**
   * Checks that the token grants one of the permissions: app roles for app-only tokens, delegated
   * scopes for user tokens.
   */
  void require(List<String> permissions) {
    Set<String> held = new TreeSet<>();
    claims.path("roles").forEach(r -> held.add(r.asText()));
    String scp = claims.path("scp").asText("");
    if (!scp.isBlank()) {
      held.addAll(List.of(scp.split(" ")));
    }
    if (!GraphPermissions.allows(held, permissions)) {
      throw GraphError.denied();
    }
  }

  /** Pays a read: base cost, minus 1 with $select, minus 1 with $top under 20, at least 1 RU. */
  void payRead(int baseCost) {
    int cost = baseCost;
    if (ex.query("$select") != null) {
      cost--;
    }
    String top = ex.query("$top");
    if (top != null && top.matches("\\d+") && Integer.parseInt(top) < 20) {
      cost--;
    }
    pay(throttle.read(appTenant(), Math.max(1, cost)), Math.max(1, cost));
  }

  void payWrite() {
    pay(throttle.write(appTenant()), 1);
  }

  private void pay(Throttle.Decision d, int cost) {
    if (!d.allowed()) {
      throw GraphError.throttled(d.retryAfterSeconds());
    }
    resourceUnits += cost;
    usedFraction = d.usedFraction();
  }

  int resourceUnits() {
    return resourceUnits;
  }

  double usedFraction() {
    return usedFraction;
  }
}
