package io.dirpipe.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenClaimsTest {
  static String jwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  @Test
  void decodesAnAppOnlyGraphToken() {
    TokenClaims c =
        TokenClaims.decode(
            jwt(
                "{\"aud\":\"https://graph.microsoft.com\",\"iss\":\"https://sts.windows.net/t/\",\"tid\":\"t\",\"oid\":\"o\",\"appid\":\"a\",\"idtyp\":\"app\",\"roles\":[\"User.Read.All\"],\"exp\":2000000000,\"nbf\":1900000000,\"iat\":1900000000}"));

    assertThat(c.aud()).isEqualTo("https://graph.microsoft.com");
    assertThat(c.roles()).containsExactly("User.Read.All");
    assertThat(c.scp()).isEmpty();
    assertThat(c.delegated()).isFalse();
    assertThat(c.exp()).isEqualTo(Instant.ofEpochSecond(2_000_000_000L));
    assertThat(c.isFor("https://graph.microsoft.com/.default")).isTrue();
    assertThat(c.isFor("https://management.azure.com/.default")).isFalse();
    assertThat(c.expiredAt(Instant.ofEpochSecond(2_000_000_001L))).isTrue();
  }

  @Test
  void recognisesDelegatedTokensAndOtherAudienceForms() {
    TokenClaims user =
        TokenClaims.decode(
            jwt(
                "{\"aud\":\"00000003-0000-0000-c000-000000000000\",\"scp\":\"User.Read Group.Read.All\",\"exp\":1}"));
    assertThat(user.delegated()).isTrue();
    assertThat(user.scp()).containsExactly("User.Read", "Group.Read.All");
    assertThat(user.isFor("https://graph.microsoft.com/.default")).isTrue();

    TokenClaims monitor = TokenClaims.decode(jwt("{\"aud\":\"https://monitor.azure.com/\"}"));
    assertThat(monitor.isFor("https://monitor.azure.com//.default")).isTrue();
  }

  @Test
  void malformedTokensFailClearlyWithoutEchoingTheText() {
    String secretish = "abc.def";
    assertThatThrownBy(() -> TokenClaims.decode(secretish))
        .isInstanceOf(MalformedTokenException.class)
        .hasMessageContaining("3 dot-separated parts")
        .hasMessageNotContaining("abc");
    assertThatThrownBy(() -> TokenClaims.decode("x.%%%.y"))
        .hasMessageContaining("not base64url-encoded JSON");
    assertThatThrownBy(() -> TokenClaims.decode(jwt("[1,2]")))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> TokenClaims.decode("")).hasMessageContaining("empty");
  }
}
