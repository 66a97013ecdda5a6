package io.dirpipe.identity;

/**
 * A failure to authenticate or to call a directory API, with a reason that decides what to do.
 * Messages never contain tokens or secrets.
 */
public class IdentityException extends RuntimeException {
  /** Why, and so whether retrying can help. */
  public enum Reason {
    /** No usable credential here (no managed identity on this host, az not installed, ...). */
    CREDENTIAL_UNAVAILABLE(false),
    /**
     * The credential exists but Entra refused it (wrong secret, expired certificate, unknown app).
     */
    AUTHENTICATION_FAILED(false),
    /** The service refused the token or the principal lacks a permission. */
    FORBIDDEN(false),
    /** A named object (principal, permission) does not exist. */
    NOT_FOUND(false),
    /** Throttling, 5xx or a network fault: retry later. */
    TRANSIENT(true),
    /** A request or answer dirpipe did not expect. */
    PROTOCOL(false);

    private final boolean retriable;

    Reason(boolean retriable) {
      this.retriable = retriable;
    }

    public boolean retriable() {
      return retriable;
    }
  }

  private final Reason reason;

  public IdentityException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public IdentityException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
