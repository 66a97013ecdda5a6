package io.dirpipe.sandbox.http;

/**
 * A request an emulated service refuses: status, the service's error code, a message, and a
 * Retry-After in seconds (0: none). Each surface renders it in its own service's error format.
 */
public final class Refusal extends RuntimeException {
  private final int status;
  private final String code;
  private final int retryAfterSeconds;

  public Refusal(int status, String code, String message) {
    this(status, code, message, 0);
  }

  public Refusal(int status, String code, String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
