package io.dirpipe.sandbox.token;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * Issues and verifies the sandbox's access tokens: RS256 JWTs with the claims Entra puts in
 * app-only tokens (FACTS.md §4): aud, iss, tid, oid, sub, appid, appidacr, idtyp, roles, iat, nbf,
 * exp.
 */
public final class TokenIssuer {
  private final KeyPair keys;
  private final String kid;
  private final String tenantId;
  private final Clock clock;

  private final io.dirpipe.core.Cloud cloud;

  public TokenIssuer(String tenantId, Clock clock) {
    this(tenantId, clock, io.dirpipe.core.Cloud.PUBLIC);
  }

  /**
   * @param cloud whose audiences the sandbox's token endpoints issue and its services accept
   */
  public TokenIssuer(String tenantId, Clock clock, io.dirpipe.core.Cloud cloud) {
    this.cloud = cloud;
    this.tenantId = tenantId;
    this.clock = clock;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      this.keys = g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    this.kid = UUID.randomUUID().toString().substring(0, 8);
  }

  /** What a token is for and whom it names. */
  public record Grant(
      String audience,
      String objectId,
      String appId,
      String appIdAcr,
      Collection<String> roles,
      String resourceId,
      Duration lifetime) {}

  public String issue(Grant grant) {
    long now = clock.instant().getEpochSecond();
    ObjectNode claims = Jwt.JSON.createObjectNode();
    claims.put("aud", grant.audience());
    claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + grant.lifetime().toSeconds());
    claims.put("appid", grant.appId());
    claims.put("appidacr", grant.appIdAcr());
    claims.put("idp", "https://sts.windows.net/" + tenantId + "/");
    claims.put("idtyp", "app");
    claims.put("oid", grant.objectId());
    claims.put("sub", grant.objectId());
    claims.put("tid", tenantId);
    claims.put("uti", UUID.randomUUID().toString().replace("-", "").substring(0, 22));
    claims.put("ver", "1.0");
    if (!grant.roles().isEmpty()) {
      ArrayNode roles = claims.putArray("roles");
      grant.roles().forEach(roles::add);
    }
    if (grant.resourceId() != null) {
      claims.put("xms_mirid", grant.resourceId());
    }
    return sign(claims);
  }

  /**
   * The signing key as a JSON Web Key Set, as Entra publishes at {@code
   * /<tenant>/discovery/v2.0/keys}: what a resource (a Kafka broker validating OAUTHBEARER tokens,
   * say) verifies the sandbox's tokens with.
   */
  public java.util.Map<String, Object> jwks() {
    java.security.interfaces.RSAPublicKey rsa =
        (java.security.interfaces.RSAPublicKey) keys.getPublic();
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return java.util.Map.of(
        "keys",
        java.util.List.of(
            java.util.Map.of(
                "kty",
                "RSA",
                "use",
                "sig",
                "alg",
                "RS256",
                "kid",
                kid,
                "n",
                b64.encodeToString(unsigned(rsa.getModulus())),
                "e",
                b64.encodeToString(unsigned(rsa.getPublicExponent())))));
  }

  private static byte[] unsigned(java.math.BigInteger n) {
    byte[] b = n.toByteArray();
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  /**
   * Signs any claims with the sandbox key: tests build expired, wrong-audience or delegated tokens.
   */
  public String sign(ObjectNode claims) {
    ObjectNode header = Jwt.JSON.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.put("kid", kid);
    return Jwt.sign(header, claims, keys.getPrivate());
  }

  /**
   * The claims of a token signed by this issuer.
   *
   * @throws InvalidTokenException when malformed, not signed by the sandbox, expired or not yet
   *     valid
   */
  public ObjectNode verify(String token) {
    Jwt.Parsed jwt;
    try {
      jwt = Jwt.parse(token);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, e.getMessage());
    }
    if (!Jwt.verify(jwt, keys.getPublic())) {
      throw new InvalidTokenException(
          InvalidTokenException.Reason.SIGNATURE, "signature verification failed");
    }
    long now = clock.instant().getEpochSecond();
    if (jwt.claims().path("exp").asLong() <= now) {
      throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED, "token is expired");
    }
    if (jwt.claims().path("nbf").asLong() > now + 300) {
      throw new InvalidTokenException(InvalidTokenException.Reason.NOT_YET_VALID, "not yet valid");
    }
    return jwt.claims();
  }

  /** The key id in the header of every token this issuer signs. */
  public String kid() {
    return kid;
  }

  /** The cloud the sandbox poses as. */
  public io.dirpipe.core.Cloud cloud() {
    return cloud;
  }

  public String tenantId() {

    return tenantId;
  }
}
