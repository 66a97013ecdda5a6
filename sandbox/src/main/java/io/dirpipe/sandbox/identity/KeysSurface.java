package io.dirpipe.sandbox.identity;

import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Surface;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The signing keys, as Entra publishes them ({@code GET /<tenant>/discovery/v2.0/keys}, also {@code
 * /common/...}): a resource server validates the sandbox's tokens with them, as Kafka's OAUTHBEARER
 * validator does with {@code sasl.oauthbearer.jwks.endpoint.url} (Event Hubs checks Entra's tokens
 * alike).
 */
public final class KeysSurface implements Surface {
  private static final Pattern PATH = Pattern.compile("/[^/]+/discovery(/v2\\.0)?/keys");
  private final TokenIssuer issuer;

  public KeysSurface(TokenIssuer issuer) {
    this.issuer = issuer;
  }

  @Override
  public boolean owns(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public void handle(Exchange exchange) throws IOException {
    exchange.sendJson(200, issuer.jwks());
  }
}
