package io.dirpipe.identity.credential;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.dirpipe.core.Cloud;
import reactor.core.publisher.Mono;

/**
 * Asks the credential for the configured cloud's scopes where a client asks for the public cloud's:
 * dirpipe and the Azure SDK clients it uses (Logs Ingestion 1.1 knows only {@code
 * https://monitor.azure.com}) name public-cloud scopes, and the national clouds' token endpoints
 * issue tokens only for their own audiences.
 */
final class CloudScopes implements TokenCredential {
  private final TokenCredential delegate;
  private final Cloud cloud;

  CloudScopes(TokenCredential delegate, Cloud cloud) {
    this.delegate = delegate;
    this.cloud = cloud;
  }

  @Override
  public Mono<AccessToken> getToken(TokenRequestContext request) {
    return delegate.getToken(translated(request));
  }

  @Override
  public AccessToken getTokenSync(TokenRequestContext request) {
    return delegate.getTokenSync(translated(request));
  }

  private TokenRequestContext translated(TokenRequestContext request) {
    TokenRequestContext t =
        new TokenRequestContext()
            .setScopes(request.getScopes().stream().map(cloud::scope).toList())
            .setClaims(request.getClaims())
            .setTenantId(request.getTenantId())
            .setCaeEnabled(request.isCaeEnabled());
    return t;
  }
}
