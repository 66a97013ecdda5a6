package io.dirpipe.sandbox.graph;

import io.dirpipe.sandbox.tenant.AuditLog;
import io.dirpipe.sandbox.tenant.Tenant;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /auditLogs/directoryAudits} and {@code /auditLogs/signIns}: AuditLog.Read.All
 * (sign-ins also Directory.Read.All, and an Entra ID P1/P2 tenant), 1 RU, newest first, {@code
 * $top} up to 1,000 (the default), {@code $filter} on the time property with {@code ge} and {@code
 * le} (the filters dirpipe uses of the documented ones). A paged listing holds the time of its
 * first page: events recorded meanwhile are not slipped into its later pages.
 */
final class AuditLogs {
  private static final Pattern BOUND =
      Pattern.compile("(\\w+) (ge|le) (\\S+)", Pattern.CASE_INSENSITIVE);

  private final Tenant tenant;

  AuditLogs(Tenant tenant) {
    this.tenant = tenant;
  }

  /**
   * {@code GET /reports/authenticationMethods/userRegistrationDetails}: AuditLog.Read.All, a P1/P2
   * tenant as the other reports, 1 RU, pages of 1,000 (no {@code $top} or {@code $select}: only
   * {@code $filter} and {@code $orderBy} are documented, and the sandbox serves neither).
   */
  Reply registrations(Call call) {
    call.require(List.of("AuditLog.Read.All"));
    if (!tenant.auditLog().premium()) {
      throw nonPremium();
    }
    for (String name : call.ex.queryParameters().keySet()) {
      if (!name.equals("$skiptoken")) {
        throw GraphError.unsupportedQuery("The query option '" + name + "' is not supported.");
      }
    }
    call.payRead(1);
    List<Map<String, Object>> all = tenant.registrations().all();
    String token = call.ex.query("$skiptoken");
    int start = token == null ? 0 : Cursor.intField(Cursor.decode(token, "skip token"), "p", "");
    PageWriter page =
        new PageWriter(
            call.base() + "/$metadata#reports/authenticationMethods/userRegistrationDetails", null);
    int end = Math.min(all.size(), start + 1000);
    for (int p = start; p < end; p++) {
      page.object(null, all.get(p), null, null);
    }
    return Reply.json(
        200, page.finish(end < all.size() ? Collections.nextLink(call, end) : null, null));
  }

  private static GraphError nonPremium() {
    return new GraphError(
        403,
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        "Neither tenant is B2C or tenant doesn't have premium license");
  }

  Reply list(Call call, String name) {
    AuditLog.Stream stream =
        name.equals("signIns") ? AuditLog.Stream.SIGN_INS : AuditLog.Stream.DIRECTORY_AUDITS;
    call.require(List.of("AuditLog.Read.All"));
    if (stream == AuditLog.Stream.SIGN_INS) {
      // a known issue of the v1.0 reference: sign-ins also need Directory.Read.All
      call.require(List.of("Directory.Read.All", "Directory.ReadWrite.All"));
      if (!tenant.auditLog().premium()) {
        throw nonPremium();
      }
    }
    call.payRead(1);
    int top = top(call.ex.query("$top"));
    Instant from = null;
    Instant to = null;
    String filter = call.ex.query("$filter");
    if (filter != null) {
      for (String clause : filter.split("(?i) and ")) {
        Matcher m = BOUND.matcher(clause.trim());
        if (!m.matches() || !m.group(1).equals(stream.timeField)) {
          throw GraphError.badRequest(
              "Invalid filter clause '" + clause + "': the sandbox filters on " + stream.timeField);
        }
        Instant at = instant(m.group(3));
        if (m.group(2).equalsIgnoreCase("ge")) {
          from = at;
        } else {
          to = at;
        }
      }
    }
    int start = 0;
    Instant until = tenant.clock().instant();
    String token = call.ex.query("$skiptoken");
    if (token != null) {
      Map<String, String> fields = Cursor.decode(token, "skip token");
      start = Cursor.intField(fields, "p", "skip token");
      until = Instant.ofEpochMilli(Long.parseLong(fields.get("u")));
    }
    PageWriter page = new PageWriter(call.base() + "/$metadata#auditLogs/" + name, null);
    int matched = 0;
    int written = 0;
    boolean more = false;
    for (AuditLog.Event e : tenant.auditLog().events(stream)) {
      if (e.at().isAfter(until)
          || (from != null && e.at().isBefore(from))
          || (to != null && e.at().isAfter(to))) {
        continue;
      }
      if (matched++ < start) {
        continue;
      }
      if (written == top) {
        more = true;
        break;
      }
      page.object(null, e.json(), null, null);
      written++;
    }
    String next =
        more
            ? Collections.nextLink(
                call,
                Map.of(
                    "p",
                    Integer.toString(start + written),
                    "u",
                    Long.toString(until.toEpochMilli())))
            : null;
    return Reply.json(200, page.finish(next, null));
  }

  private static int top(String value) {
    if (value == null) {
      return 1000;
    }
    try {
      int top = Integer.parseInt(value.trim());
      if (top >= 1 && top <= 1000) {
        return top;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw GraphError.badRequest("Invalid $top value '" + value + "': 1 to 1000.");
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw GraphError.badRequest("Invalid date '" + text + "' in $filter: ISO 8601 expected.");
    }
  }
}
