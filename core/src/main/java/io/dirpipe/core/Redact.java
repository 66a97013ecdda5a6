package io.dirpipe.core;

import java.util.regex.Pattern;

/**
 * Removes credentials that travel in URLs from text bound for a message or a log: Graph's skip and
 * delta tokens (a skip or delta token reads the tenant's data without any other credential), SAS
 * signatures, OAuth codes and tokens in query strings. dirpipe's own messages name paths without
 * queries; this is the net for text that comes from a library (an exception's message, a URL it
 * quotes).
 */
public final class Redact {
  private static final Pattern QUERY_SECRET =
      Pattern.compile(
          "(?i)([?&;](?:\\$|%24)?(?:skiptoken|deltatoken|sig|access_token|refresh_token|id_token"
              + "|client_secret|code|client_assertion)=)[^&\\s\"'<>]*");

  private Redact() {}

  /** The text with the value of every credential-bearing query parameter replaced. */
  public static String queryTokens(String text) {
    return text == null ? null : QUERY_SECRET.matcher(text).replaceAll("$1[redacted]");
  }
}
