package io.dirpipe.identity.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.dirpipe.core.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class CachingCredentialTest {
  static final TokenRequestContext GRAPH =
      new TokenRequestContext().addScopes("https://graph.microsoft.com/.default");

  final AtomicInteger issued = new AtomicInteger();
  final List<TokenRequestContext> asked = new ArrayList<>();
  final ManualTime time = new ManualTime(Instant.parse("2026-11-24T10:00:00Z"));
  Duration lifetime = Duration.ofHours(1);

  final TokenCredential source =
      new TokenCredential() {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext r) {
          return Mono.just(getTokenSync(r));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext r) {
          asked.add(r);
          return new AccessToken(
              "t" + issued.incrementAndGet(),
              OffsetDateTime.ofInstant(time.now().plus(lifetime), ZoneOffset.UTC));
        }
      };

  CachingCredential cache() {
    return new CachingCredential(source, time);
  }

  @Test
  void servesTheCachedTokenUntilFiveMinutesBeforeExpiry() {
    CachingCredential c = cache();
    assertThat(c.getTokenSync(GRAPH).getToken()).isEqualTo("t1");
    time.advance(Duration.ofMinutes(54));
    assertThat(c.getTokenSync(GRAPH).getToken()).isEqualTo("t1");
    time.advance(Duration.ofMinutes(1).plusSeconds(1));
    assertThat(c.getTokenSync(GRAPH).getToken()).isEqualTo("t2");
  }

  @Test
  void shortLivedTokensRefreshAtHalfLife() {
    lifetime = Duration.ofSeconds(10);
    CachingCredential c = cache();
    c.getTokenSync(GRAPH);
    time.advance(Duration.ofSeconds(4));
    assertThat(c.getTokenSync(GRAPH).getToken()).isEqualTo("t1");
    time.advance(Duration.ofSeconds(2));
    assertThat(c.getTokenSync(GRAPH).getToken()).isEqualTo("t2");
  }

  @Test
  void invalidateForcesANewTokenAndScopesAreCachedApart() {
    CachingCredential c = cache();
    c.getTokenSync(GRAPH);
    c.getTokenSync(new TokenRequestContext().addScopes("https://management.azure.com/.default"));
    assertThat(issued).hasValue(2);
    c.invalidate("https://graph.microsoft.com/.default");
    assertThat(c.getTokenSync(GRAPH).getToken()).isEqualTo("t3");
  }

  @Test
  void aConfidentialClientIsAskedPastMsalsCacheOnceAfterA401() {
    CachingCredential c = new CachingCredential(source, time, true);
    c.getTokenSync(GRAPH);
    c.invalidate("https://graph.microsoft.com/.default");
    assertThat(c.getTokenSync(GRAPH).getToken()).isEqualTo("t2");
    TokenRequestContext second = asked.get(1);
    assertThat(second.getScopes()).containsExactly("https://graph.microsoft.com/.default");
    assertThat(second.isCaeEnabled()).isTrue();
    assertThat(second.getClaims())
        .isEqualTo(
            "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\""
                + time.now().getEpochSecond()
                + "\"}}}");
    time.advance(Duration.ofMinutes(56));
    c.getTokenSync(GRAPH);
    assertThat(asked.get(2).getClaims()).as("an ordinary refresh carries no claims").isNull();
  }

  @Test
  void otherCredentialsAreSimplyAskedAgain() {
    CachingCredential c = cache();
    c.getTokenSync(GRAPH);
    c.invalidate("https://graph.microsoft.com/.default");
    c.getTokenSync(GRAPH);
    assertThat(asked.get(1).getClaims()).isNull();
  }
}
