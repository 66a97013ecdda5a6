package io.dirpipe.sandbox.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Faults;
import io.dirpipe.sandbox.http.Stats;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.logs.Ingested;
import io.dirpipe.sandbox.logs.LogsIngestionSurface;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Mutator;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /_sandbox/*}: what tests, the demo and benchmarks use to observe and steer the tenant.
 * JSON in, JSON out; errors are {@code {"error": "..."}} with status 400 or 404.
 */
public final class ControlSurface implements Surface {
  private static final Pattern GRANT =
      Pattern.compile("/_sandbox/identities/([^/]+)/(grant|revoke)");

  private final Tenant tenant;
  private final TokenIssuer issuer;
  private final Faults faults;
  private final Stats stats;
  private final Ingested ingested;
  private final LogsIngestionSurface logs;
  private final Mutator mutator;
  private final Map<String, Object> describe;

  public ControlSurface(
      Tenant tenant,
      TokenIssuer issuer,
      Faults faults,
      Stats stats,
      Ingested ingested,
      LogsIngestionSurface logs,
      Map<String, Object> describe) {
    this.tenant = tenant;
    this.issuer = issuer;
    this.faults = faults;
    this.stats = stats;
    this.ingested = ingested;
    this.logs = logs;
    this.mutator = new Mutator(tenant);
    this.describe = describe;
  }

  @Override
  public boolean owns(String path) {
    return path.startsWith("/_sandbox/");
  }

  @Override
  public void handle(Exchange ex) throws IOException {
    try {
      Object answer = route(ex);
      ex.sendJson(200, answer);
    } catch (IllegalArgumentException e) {
      ex.sendJson(400, Map.of("error", e.getMessage()));
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      ex.sendJson(400, Map.of("error", "Invalid request body: " + e.getOriginalMessage()));
    }
  }

  private Object route(Exchange ex) throws IOException {
    String key = ex.method() + " " + ex.path();
    switch (key) {
      case "GET /_sandbox/tenant":
        return tenantInfo();
      case "GET /_sandbox/stats":
        return stats();
      case "POST /_sandbox/stats/reset":
        stats.reset();
        return stats();
      case "GET /_sandbox/faults":
        return faults;
      case "PUT /_sandbox/faults", "POST /_sandbox/faults":
        return updateFaults(ex.body());
      case "DELETE /_sandbox/faults":
        return resetFaults();
      case "POST /_sandbox/mutate":
        return mutate(ex.body());
      case "GET /_sandbox/identities":
        return identities();
      case "POST /_sandbox/identities":
        return addIdentity(ex.body());
      case "GET /_sandbox/ingested":
        return ingested(ex);
      case "DELETE /_sandbox/ingested":
        ingested.clear();
        return Map.of("cleared", true);
      case "PUT /_sandbox/logs":
        logs.maxBytes(
            json(ex.body()).path("maxBytes").asInt(LogsIngestionSurface.DEFAULT_MAX_BYTES));
        return Map.of("ok", true);
      case "POST /_sandbox/tokens":
        return Map.of("access_token", issuer.sign((ObjectNode) json(ex.body())));
      default:
        Matcher m = GRANT.matcher(ex.path());
        if (ex.method().equals("POST") && m.matches()) {
          return grant(m.group(1), m.group(2).equals("grant"), json(ex.body()));
        }
        throw new IllegalArgumentException("No control endpoint " + key);
    }
  }

  private Map<String, Object> tenantInfo() {
    Map<String, Object> info = new LinkedHashMap<>(describe);
    Map<String, Object> counts = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      counts.put(k.segment(), tenant.store(k).count());
    }
    info.put("counts", counts);
    info.put("version", tenant.changeLog().current());
    return info;
  }

  private Map<String, Object> stats() {
    Map<String, Object> s = new LinkedHashMap<>(stats.snapshot());
    s.put("ingested", ingested.counts());
    return s;
  }

  private Object updateFaults(byte[] body) throws IOException {
    synchronized (faults) {
      Exchange.JSON.readerForUpdating(faults).readValue(body);
      faults.reseed();
    }
    return faults;
  }

  private Object resetFaults() {
    synchronized (faults) {
      Faults clean = new Faults();
      try {
        Exchange.JSON.readerForUpdating(faults).readValue(Exchange.JSON.writeValueAsBytes(clean));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      faults.reseed();
    }
    return faults;
  }

  private Object mutate(byte[] body) throws IOException {
    JsonNode r = json(body);
    String collection = r.path("collection").asText("users");
    int count = r.path("count").asInt(0);
    boolean members = Mutator.isEdges(collection);
    Mutator.Request request =
        new Mutator.Request(
            collection,
            r.path("creates").asInt(members ? 0 : count / 5),
            r.path("updates").asInt(members ? 0 : count - 2 * (count / 5)),
            r.path("deletes").asInt(members ? 0 : count / 5),
            r.path("adds").asInt(members ? count - count / 2 : 0),
            r.path("removes").asInt(members ? count / 2 : 0),
            r.path("seed").asLong(1));
    return mutator.apply(request);
  }

  private List<Map<String, Object>> identities() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Identity i : tenant.identities()) {
      list.add(describe(i, false));
    }
    return list;
  }

  private Map<String, Object> describe(Identity i, boolean withSecret) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("type", i.type().name());
    d.put("name", i.name());
    d.put("clientId", i.clientId());
    d.put("objectId", i.objectId());
    d.put("resourceId", i.resourceId());
    d.put("permissions", tenant.permissionsOf(i.objectId()));
    d.put("armReader", tenant.armReaders().contains(i.objectId()));
    if (withSecret && !i.secrets().isEmpty()) {
      d.put("clientSecret", i.secrets().get(0).value());
    }
    return d;
  }

  private Map<String, Object> addIdentity(byte[] body) throws IOException {
    JsonNode r = json(body);
    List<String> permissions = new ArrayList<>();
    r.path("permissions").forEach(p -> permissions.add(p.asText()));
    permissions.forEach(Tenant::appRoleId); // unknown names fail before anything is created
    String name = r.path("name").asText("identity-" + tenant.identities().size());
    Identity id =
        switch (r.path("type").asText("application")) {
          case "user-assigned" ->
              tenant.addManagedIdentity(Identity.Type.USER_ASSIGNED, name, permissions);
          case "system-assigned" -> {
            if (tenant.systemAssigned() != null) {
              throw new IllegalArgumentException(
                  "This host already has a system-assigned identity");
            }
            yield tenant.addManagedIdentity(Identity.Type.SYSTEM_ASSIGNED, name, permissions);
          }
          case "application" ->
              tenant.addApplication(
                  name,
                  permissions,
                  certificates(r),
                  Duration.ofSeconds(
                      r.path("secretLifetimeSeconds").asLong(Duration.ofDays(365).toSeconds())));
          default ->
              throw new IllegalArgumentException(
                  "type must be system-assigned, user-assigned or application");
        };
    if (r.hasNonNull("federatedSubject")) {
      tenant.federate(id.clientId(), r.get("federatedSubject").asText());
    }
    if (r.path("armReader").asBoolean(false)) {

      tenant.armReaders().add(id.objectId());
    }
    return describe(id, true);
  }

  private static List<X509Certificate> certificates(JsonNode r) {
    if (!r.hasNonNull("certificatePem")) {
      return List.of();
    }
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      return List.of(
          (X509Certificate)
              f.generateCertificate(
                  new ByteArrayInputStream(r.get("certificatePem").asText().getBytes())));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "certificatePem is not a PEM X.509 certificate: " + e.getMessage());
    }
  }

  private Object grant(String clientId, boolean grant, JsonNode r) {
    Identity id = tenant.identityByClientId(clientId);
    if (id == null) {
      throw new IllegalArgumentException("No identity with client id " + clientId);
    }
    r.path("permissions")
        .forEach(
            p -> {
              String role = Tenant.appRoleId(p.asText());
              if (grant) {
                tenant.assign(id.objectId(), role);
              } else {
                tenant.revoke(id.objectId(), role);
              }
            });
    if (r.has("armReader")) {
      if (r.get("armReader").asBoolean()) {
        tenant.armReaders().add(id.objectId());
      } else {
        tenant.armReaders().remove(id.objectId());
      }
    }
    return describe(id, false);
  }

  private Object ingested(Exchange ex) {
    String stream = ex.query("stream");
    if (stream == null) {
      return ingested.counts();
    }
    return Map.of(
        "stream",
        stream,
        "count",
        ingested.counts().getOrDefault(stream, 0L),
        "rows",
        ingested.rows(stream));
  }

  private static JsonNode json(byte[] body) throws IOException {
    if (body.length == 0) {
      return Exchange.JSON.createObjectNode();
    }
    try {
      return Exchange.JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          "Request body is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
