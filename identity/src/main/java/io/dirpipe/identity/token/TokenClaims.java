package io.dirpipe.identity.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The claims of an Entra access token that explain what it may do (FACTS.md §4). Decoded without
 * checking the signature: the service that receives a token is the one that verifies it.
 *
 * @param scp delegated scopes (a user token), empty for app-only tokens
 * @param roles application permissions (app-only tokens)
 */
public record TokenClaims(
    String aud,
    String iss,
    String tid,
    String oid,
    String appid,
    String idtyp,
    List<String> roles,
    List<String> scp,
    Instant exp,
    Instant nbf,
    Instant iat) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws MalformedTokenException when the text is not a JWT with a JSON payload (the message
   *     never repeats the token)
   */
  public static TokenClaims decode(String jwt) {
    if (jwt == null || jwt.isBlank()) {
      throw new MalformedTokenException("the token is empty");
    }
    String[] parts = jwt.trim().split("\\.", -1);
    if (parts.length != 3) {
      throw new MalformedTokenException(
          "a JWT has 3 dot-separated parts, this one has " + parts.length);
    }
    JsonNode c;
    try {
      c = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
    } catch (IllegalArgumentException | IOException e) {
      throw new MalformedTokenException("the payload is not base64url-encoded JSON");
    }
    if (c == null || !c.isObject()) {
      throw new MalformedTokenException("the payload is not a JSON object");
    }
    List<String> roles = new ArrayList<>();
    c.path("roles").forEach(r -> roles.add(r.asText()));
    String scp = c.path("scp").asText("");
    return new TokenClaims(
        text(c, "aud"),
        text(c, "iss"),
        text(c, "tid"),
        text(c, "oid"),
        c.hasNonNull("appid") ? text(c, "appid") : text(c, "azp"),
        text(c, "idtyp"),
        List.copyOf(roles),
        scp.isBlank() ? List.of() : List.of(scp.trim().split("\\s+")),
        time(c, "exp"),
        time(c, "nbf"),
        time(c, "iat"));
  }

  private static String text(JsonNode c, String name) {
    return c.hasNonNull(name) ? c.get(name).asText() : null;
  }

  private static Instant time(JsonNode c, String name) {
    return c.hasNonNull(name) ? Instant.ofEpochSecond(c.get(name).asLong()) : null;
  }

  /**
   * True for a delegated (user) token: it has scopes, and dirpipe needs application permissions.
   */
  public boolean delegated() {
    return !scp.isEmpty() || "user".equals(idtyp);
  }

  public boolean expiredAt(Instant now) {
    return exp != null && !exp.isAfter(now);
  }

  public Duration timeLeft(Instant now) {
    return exp == null ? Duration.ZERO : Duration.between(now, exp);
  }

  /**
   * True when the audience is the resource of that scope (e.g. {@code
   * https://graph.microsoft.com/.default}).
   */
  public boolean isFor(String scope) {
    String resource = scope.replaceAll("/?/\\.default$", "");
    if (aud == null) {
      return false;
    }
    String a = aud.endsWith("/") ? aud.substring(0, aud.length() - 1) : aud;
    return a.equals(resource)
        || (resource.equals("https://graph.microsoft.com")
            && a.equals("00000003-0000-0000-c000-000000000000"));
  }

  @Override
  public String toString() {
    return "TokenClaims[aud="
        + aud
        + ", tid="
        + tid
        + ", oid="
        + oid
        + ", appid="
        + appid
        + ", roles="
        + roles
        + ", scp="
        + scp
        + ", exp="
        + exp
        + "]";
  }
}
