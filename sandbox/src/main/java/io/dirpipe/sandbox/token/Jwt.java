package io.dirpipe.sandbox.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/** Compact JWS (header.payload.signature) encoding, RS256 signing and RS256/PS256 verification. */
public final class Jwt {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private Jwt() {}

  /** A decoded, not yet verified token. */
  public record Parsed(ObjectNode header, ObjectNode claims, byte[] signedPart, byte[] signature) {}

  public static String sign(ObjectNode header, ObjectNode claims, PrivateKey key) {
    try {
      String signed =
          B64.encodeToString(JSON.writeValueAsBytes(header))
              + "."
              + B64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + B64.encodeToString(rs256.sign());
    } catch (GeneralSecurityException | JsonProcessingException e) {
      throw new IllegalStateException("Cannot sign a token", e);
    }
  }

  /**
   * @throws IllegalArgumentException when the text is not three base64url parts of JSON
   */
  public static Parsed parse(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a JWS: expected 3 dot-separated parts");
    }
    try {
      JsonNode header = JSON.readTree(B64D.decode(parts[0]));
      JsonNode claims = JSON.readTree(B64D.decode(parts[1]));
      if (!(header instanceof ObjectNode h) || !(claims instanceof ObjectNode c)) {
        throw new IllegalArgumentException("header or payload is not a JSON object");
      }
      byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
      return new Parsed(h, c, signed, B64D.decode(parts[2]));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed token: " + e.getMessage(), e);
    }
  }

  /** Verifies an RS256 or PS256 signature; false for any other algorithm. */
  public static boolean verify(Parsed jwt, PublicKey key) {
    String alg = jwt.header().path("alg").asText();
    try {
      Signature s;
      if (alg.equals("RS256")) {
        s = Signature.getInstance("SHA256withRSA");
      } else if (alg.equals("PS256")) {
        s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      } else {
        return false;
      }
      s.initVerify(key);
      s.update(jwt.signedPart());
      return s.verify(jwt.signature());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String base64Url(byte[] bytes) {
    return B64.encodeToString(bytes);
  }
}
