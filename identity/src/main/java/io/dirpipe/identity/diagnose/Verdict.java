package io.dirpipe.identity.diagnose;

/** The outcome of one probe. */
public enum Verdict {
  OK,
  /** The token's exp is in the past. */
  EXPIRED,
  /** The token was issued for another resource (e.g. ARM's token used on Graph). */
  WRONG_AUDIENCE,
  /** A user token (scp) where dirpipe needs an app-only token (roles). */
  DELEGATED_TOKEN,
  /** The token's roles (or RBAC, for ARM) lack the permission the call needs. */
  MISSING_PERMISSION,
  /** 403 because the tenant lacks a license the call needs (sign-ins: Entra ID P1 or P2). */
  LICENSE_REQUIRED,
  /** 403 though the token holds a role that grants the call: not a missing grant. */
  FORBIDDEN_DESPITE_ROLE,
  /** 401 for another reason (signature, issuer, tenant). */
  INVALID_TOKEN,
  /** No credential usable on this host (no managed identity, az not installed, ...). */
  CREDENTIAL_UNAVAILABLE,
  /** Entra refused the credential (wrong or expired secret, unknown app, ...). */
  AUTHENTICATION_FAILED,
  /** 429 or 5xx: not a permission problem; retry later. */
  SERVICE_UNAVAILABLE,
  /** Not probed because an earlier probe failed (group members need a readable group). */
  SKIPPED,

  UNEXPECTED
}
