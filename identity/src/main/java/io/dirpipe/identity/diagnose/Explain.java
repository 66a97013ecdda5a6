package io.dirpipe.identity.diagnose;

import io.dirpipe.identity.token.TokenClaims;
import java.time.Instant;

/** The FACTS.md §4 decision tree: from a 401/403 and the token's claims to a verdict. */
final class Explain {
  private Explain() {}

  /**
   * Permissions Directory.Read.All does not include (v1.0 reference): PIM's schedules, conditional
   * access policies.
   */
  static final java.util.Set<String> NOT_IN_DIRECTORY_READ =
      java.util.Set.of(
          "RoleEligibilitySchedule.Read.Directory",
          "RoleAssignmentSchedule.Read.Directory",
          "Policy.Read.All",
          "AuditLog.Read.All");

  static Verdict verdict(int status, TokenClaims claims, String expectedScope, Instant now) {
    return verdict(status, claims, expectedScope, now, null);
  }

  /**
   * @param permission the application role the call needs (Directory.Read.All also grants it), or
   *     null where roles are not the question (ARM's RBAC)
   */
  static Verdict verdict(
      int status, TokenClaims claims, String expectedScope, Instant now, String permission) {
    if (status >= 200 && status < 300) {
      return Verdict.OK;
    }
    if (status == 401) {
      if (claims != null && claims.expiredAt(now)) {
        return Verdict.EXPIRED;
      }
      if (claims != null && !claims.isFor(expectedScope)) {
        return Verdict.WRONG_AUDIENCE;
      }
      return Verdict.INVALID_TOKEN;
    }
    if (status == 403) {
      if (claims != null && claims.delegated() && claims.roles().isEmpty()) {
        return Verdict.DELEGATED_TOKEN;
      }
      if (permission != null
          && claims != null
          && (claims.roles().contains(permission)
              || (claims.roles().contains("Directory.Read.All")
                  && !NOT_IN_DIRECTORY_READ.contains(permission)))) {
        return Verdict.FORBIDDEN_DESPITE_ROLE;
      }
      return Verdict.MISSING_PERMISSION;
    }
    if (status == 429 || status >= 500) {
      return Verdict.SERVICE_UNAVAILABLE;
    }
    return Verdict.UNEXPECTED;
  }
}
