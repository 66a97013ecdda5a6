package io.dirpipe.sandbox.graph;

/** An answer in Graph's error envelope: {@code {"error":{"code","message","innerError":{...}}}}. */
final class GraphError extends RuntimeException {
  final int status;
  final String code;
  final int retryAfterSeconds;

  /** A Location header (410 resync), or null. */
  String location;

  GraphError(int status, String code, String message) {
    this(status, code, message, 0);
  }

  GraphError(int status, String code, String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static GraphError badRequest(String message) {
    return new GraphError(400, "BadRequest", message);
  }

  static GraphError unsupportedQuery(String message) {
    return new GraphError(400, "Request_UnsupportedQuery", message);
  }

  static GraphError notFound(String id) {
    return new GraphError(
        404,
        "Request_ResourceNotFound",
        "Resource '"
            + id
            + "' does not exist or one of its queried reference-property objects are not present.");
  }

  static GraphError denied() {
    return new GraphError(
        403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }

  static GraphError invalidToken(String message) {
    return new GraphError(401, "InvalidAuthenticationToken", message);
  }

  static GraphError throttled(int retryAfter) {
    return new GraphError(
        429, "TooManyRequests", "Too many requests. Please try again later.", retryAfter);
  }
}
