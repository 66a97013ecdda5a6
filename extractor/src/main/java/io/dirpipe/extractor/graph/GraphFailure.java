package io.dirpipe.extractor.graph;

import io.dirpipe.core.Redact;
import java.time.Duration;

/**
 * A Graph request that failed: retriable (429 with its Retry-After, 5xx, connection faults,
 * malformed bodies), a resync (expired delta token), or permanent (401 after a fresh token, 403,
 * 400, bad links).
 */
public final class GraphFailure extends RuntimeException {
  /** What the caller should do. */
  public enum Kind {
    THROTTLED,
    RETRIABLE,
    RESYNC,
    UNAUTHORIZED,
    PERMANENT
  }

  private final Kind kind;
  private final int status;
  private final String code;
  private final Duration retryAfter;

  public GraphFailure(
      Kind kind, int status, String code, Duration retryAfter, String message, Throwable cause) {
    super(Redact.queryTokens(message), cause);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  static GraphFailure permanent(int status, String code, String message) {
    return new GraphFailure(Kind.PERMANENT, status, code, null, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The server's Retry-After, or null when it gave none. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
