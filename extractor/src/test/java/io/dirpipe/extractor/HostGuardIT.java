package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.dirpipe.extractor.graph.GraphFailure;
import io.dirpipe.extractor.graph.GraphTransport;
import io.dirpipe.extractor.graph.PageReader;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.LoopbackServer;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.schemas.entity.User;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A next link to another host is refused, and that host receives nothing (the token never leaves).
 */
class HostGuardIT {
  @Test
  void aNextLinkToAnotherHostIsRefusedAndThatHostReceivesNoRequest() {
    AtomicInteger otherHits = new AtomicInteger();
    try (LoopbackServer other =
            LoopbackServer.http(
                0,
                List.of(
                    surface(
                        ex -> {
                          otherHits.incrementAndGet();
                          ex.sendJson(200, Map.of("value", List.of()));
                        })));
        LoopbackServer graph =
            LoopbackServer.http(
                0,
                List.of(
                    surface(
                        ex ->
                            ex.sendJson(
                                200,
                                Map.of(
                                    "value",
                                    List.of(Map.of("id", "u1")),
                                    "@odata.nextLink",
                                    other.baseUrl() + "/v1.0/users?$skiptoken=steal")))))) {
      GraphTransport transport =
          new GraphTransport(graph.baseUrl(), new CachingCredential(fixedToken()), true);
      PageReader reader = new PageReader(User.getClassSchema());

      // the page that carries the link is refused (so no checkpoint ever holds it), and the
      // link is never followed
      assertThatThrownBy(() -> transport.get(graph.baseUrl() + "/v1.0/users", reader, Map.of()))
          .isInstanceOf(GraphFailure.class)
          .satisfies(
              f -> assertThat(((GraphFailure) f).kind()).isEqualTo(GraphFailure.Kind.PERMANENT))
          .hasMessageContaining("Refusing to follow a link to http://127.0.0.1:" + other.port())
          .hasMessageContaining("No request was sent")
          .hasMessageNotContaining("steal");
      assertThatThrownBy(
              () ->
                  transport.get(other.baseUrl() + "/v1.0/users?$skiptoken=steal", reader, Map.of()))
          .hasMessageContaining("Refusing to follow");
      assertThat(otherHits).hasValue(0);
    }
  }

  interface Answer {
    void answer(Exchange ex) throws java.io.IOException;
  }

  static Surface surface(Answer answer) {
    return new Surface() {
      @Override
      public boolean owns(String path) {
        return true;
      }

      @Override
      public void handle(Exchange ex) throws java.io.IOException {
        answer.answer(ex);
      }
    };
  }

  static TokenCredential fixedToken() {
    return new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext r) {
        return Mono.just(getTokenSync(r));
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext r) {
        return new AccessToken("header.payload.signature", OffsetDateTime.now().plusHours(1));
      }
    };
  }
}
