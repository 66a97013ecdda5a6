package io.dirpipe.identity.credential;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.dirpipe.core.Time;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Caches tokens per scope in front of an azure-identity credential and refreshes them before they
 * expire (five minutes, or half the lifetime of short-lived tokens). msal4j's own cache misses
 * whenever the authority URL has a port (as the sandbox's has), so every Graph request would
 * otherwise fetch a token. {@link #invalidate} drops a token after a 401, so the next call asks
 * azure-identity again.
 */
public final class CachingCredential implements TokenCredential {
  private static final Duration MARGIN = Duration.ofMinutes(5);

  private record Entry(AccessToken token, OffsetDateTime refreshAt) {}

  private final TokenCredential delegate;
  private final Clock clock;
  private final Map<List<String>, Entry> cache = new ConcurrentHashMap<>();

  public CachingCredential(TokenCredential delegate) {
    this(delegate, Time.SYSTEM);
  }

  /** A cache whose expiry and refresh decisions read {@code time}. */
  public CachingCredential(TokenCredential delegate, Time time) {
    this.delegate = delegate;
    this.clock = time.clock();
  }

  @Override
  public Mono<AccessToken> getToken(TokenRequestContext request) {
    return Mono.fromCallable(() -> getTokenSync(request));
  }

  @Override
  public AccessToken getTokenSync(TokenRequestContext request) {
    List<String> key = List.copyOf(request.getScopes());
    Entry e = cache.get(key);
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (e != null && now.isBefore(e.refreshAt())) {
      return e.token();
    }
    synchronized (this) {
      e = cache.get(key);
      if (e != null && now.isBefore(e.refreshAt())) {
        return e.token();
      }
      AccessToken fresh = delegate.getTokenSync(request);
      Duration life = Duration.between(now, fresh.getExpiresAt());
      Duration margin = life.compareTo(MARGIN.multipliedBy(2)) < 0 ? life.dividedBy(2) : MARGIN;
      cache.put(key, new Entry(fresh, fresh.getExpiresAt().minus(margin)));
      return fresh;
    }
  }

  /** Forgets the token of these scopes (after the service answered 401). */
  public void invalidate(String... scopes) {
    cache.remove(List.of(scopes));
  }
}
