package io.dirpipe.sandbox.tenant;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tenant's two event streams as Graph lists them ({@code /auditLogs/directoryAudits}, {@code
 * /auditLogs/signIns}): a history seeded from the tenant's users (some days of it, capped so a
 * large tenant stays light), an audit entry for every change the sandbox's mutations make, and
 * events recorded late (with a time in the past), as Entra shows events minutes after their time.
 * Sign-ins need an Entra ID P1 or P2 tenant: {@link #premium(boolean)} takes the license away.
 */
public final class AuditLog {
  /** The two streams. */
  public enum Stream {
    DIRECTORY_AUDITS("activityDateTime"),
    SIGN_INS("createdDateTime");

    /** The property events are filtered and ordered by. */
    public final String timeField;

    Stream(String timeField) {
      this.timeField = timeField;
    }
  }

  /** One event: its time (for filters) and what Graph shows of it. */
  public record Event(Instant at, Map<String, Object> json) {}

  private static final int SEEDED_AUDITS = 2_000;
  private static final int SEEDED_SIGN_INS = 5_000;

  private final Tenant tenant;
  private final List<Event> audits = new ArrayList<>();
  private final List<Event> signIns = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean premium = true;
  private boolean seeded;

  AuditLog(Tenant tenant) {
    this.tenant = tenant;
  }

  /** False makes the tenant one without Entra ID P1/P2: sign-ins answer 403. */
  public void premium(boolean premium) {
    this.premium = premium;
  }

  public boolean premium() {
    return premium;
  }

  /** The events of a stream, newest first (Graph's order for sign-ins). */
  public synchronized List<Event> events(Stream stream) {
    seed();
    List<Event> all = new ArrayList<>(stream == Stream.DIRECTORY_AUDITS ? audits : signIns);
    all.sort((a, b) -> b.at().compareTo(a.at()));
    return all;
  }

  /**
   * Records an audit entry: {@code activity} (e.g. "Update user") by the tenant's admin on one
   * object, at {@code ago} before now (zero: now; more: an event Graph shows late). Returns its id.
   */
  public synchronized String audit(
      String activity, String category, String targetType, String targetId, Duration ago) {
    seed();
    Instant at = now().minus(ago);
    String id = "Directory_" + tenant.tenantId().substring(0, 8) + "_" + sequence.incrementAndGet();
    audits.add(new Event(at, auditJson(id, at, activity, category, targetType, targetId)));
    return id;
  }

  /** Records a sign-in of a user at {@code ago} before now; returns its id. */
  public synchronized String signIn(String userId, Duration ago) {
    seed();
    Instant at = now().minus(ago);
    String id =
        java.util
            .UUID
            .nameUUIDFromBytes(("signin/" + sequence.incrementAndGet()).getBytes())
            .toString();
    signIns.add(new Event(at, signInJson(id, at, userId, sequence.get())));
    return id;
  }

  private Instant now() {
    return tenant.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The history a tenant has when the sandbox starts: audits over 3 days, sign-ins over 1. */
  private void seed() {
    if (seeded) {
      return;
    }
    seeded = true;
    ObjectStore users = tenant.store(Kind.USER);
    int n = users.positions();
    if (n == 0) {
      return;
    }
    Instant now = now();
    int auditCount = Math.min(SEEDED_AUDITS, Math.max(20, n / 10));
    for (int i = 0; i < auditCount; i++) {
      Instant at = now.minusSeconds(3L * 86_400 * (i + 1) / (auditCount + 1));
      String id =
          "Directory_" + tenant.tenantId().substring(0, 8) + "_" + sequence.incrementAndGet();
      String user = users.idAt((int) Math.floorMod(Mix.hash(i, 0xa0d1), (long) n));
      audits.add(new Event(at, auditJson(id, at, "Update user", "UserManagement", "User", user)));
    }
    int signInCount = Math.min(SEEDED_SIGN_INS, Math.max(20, n / 5));
    for (int i = 0; i < signInCount; i++) {
      Instant at = now.minusSeconds(86_400L * (i + 1) / (signInCount + 1));
      String user = users.idAt((int) Math.floorMod(Mix.hash(i, 0x5161), (long) n));
      long seq = sequence.incrementAndGet();
      String id = java.util.UUID.nameUUIDFromBytes(("signin/" + seq).getBytes()).toString();
      signIns.add(new Event(at, signInJson(id, at, user, seq)));
    }
  }

  private Map<String, Object> auditJson(
      String id, Instant at, String activity, String category, String type, String targetId) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", "00000000-0000-0000-0000-0000000000ad");
    user.put("displayName", "Sandbox Administrator");
    user.put("userPrincipalName", "admin@" + Generator.DOMAIN);
    user.put("ipAddress", "10.0.0.1");
    Map<String, Object> initiatedBy = new LinkedHashMap<>();
    initiatedBy.put("user", user);
    initiatedBy.put("app", null);
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("id", targetId);
    target.put("displayName", null);
    target.put("type", type);
    target.put("userPrincipalName", null);
    target.put("groupType", null);
    target.put("modifiedProperties", List.of());
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("id", id);
    a.put("category", category);
    a.put("correlationId", java.util.UUID.nameUUIDFromBytes(id.getBytes()).toString());
    a.put("result", "success");
    a.put("resultReason", "");
    a.put("activityDisplayName", activity);
    a.put("activityDateTime", at.toString());
    a.put("loggedByService", "Core Directory");
    a.put("operationType", activity.split(" ")[0]);
    a.put("initiatedBy", initiatedBy);
    a.put("targetResources", List.of(target));
    a.put("additionalDetails", List.of());
    return a;
  }

  private static final String[][] PLACES = {
    {"Redmond", "Washington", "US"}, {"Munich", "Bavaria", "DE"}, {"Osaka", "Osaka", "JP"}
  };

  private Map<String, Object> signInJson(String id, Instant at, String userId, long seq) {
    boolean failed = seq % 7 == 0;
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("errorCode", failed ? 50126 : 0);
    status.put(
        "failureReason",
        failed ? "Error validating credentials due to invalid username or password." : null);
    status.put("additionalDetails", null);
    String[] place = PLACES[(int) (seq % PLACES.length)];
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("city", place[0]);
    location.put("state", place[1]);
    location.put("countryOrRegion", place[2]);
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("deviceId", "");
    device.put("displayName", null);
    device.put("operatingSystem", "Windows 10");
    device.put("browser", "Edge 120.0.0");
    device.put("isCompliant", null);
    device.put("isManaged", null);
    device.put("trustType", null);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", id);
    s.put("createdDateTime", at.toString());
    s.put("userDisplayName", null);
    s.put("userPrincipalName", null);
    s.put("userId", userId);
    s.put("appId", "de8bc8b5-d9f9-48b1-a8ad-b748da725064");
    s.put("appDisplayName", "Graph Explorer");
    s.put("ipAddress", "131.107.159." + (seq % 250));
    s.put("clientAppUsed", "Browser");
    s.put("correlationId", java.util.UUID.nameUUIDFromBytes(id.getBytes()).toString());
    s.put("conditionalAccessStatus", "notApplied");
    s.put("isInteractive", true);
    s.put("riskDetail", "none");
    s.put("riskLevelAggregated", "none");
    s.put("riskLevelDuringSignIn", "none");
    s.put("riskState", "none");
    s.put("riskEventTypes", List.of());
    s.put("resourceDisplayName", "Microsoft Graph");
    s.put("resourceId", GraphPermissions.GRAPH_APP_ID);
    s.put("status", status);
    s.put("deviceDetail", device);
    s.put("location", location);
    s.put("appliedConditionalAccessPolicies", List.of());
    return s;
  }
}
