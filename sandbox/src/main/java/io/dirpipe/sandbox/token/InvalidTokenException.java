package io.dirpipe.sandbox.token;

/** A bearer token the sandbox does not accept, with the reason Graph would give. */
public final class InvalidTokenException extends RuntimeException {
  /** Why a token was refused. */
  public enum Reason {
    MALFORMED,
    SIGNATURE,
    EXPIRED,
    NOT_YET_VALID
  }

  private final Reason reason;

  public InvalidTokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
