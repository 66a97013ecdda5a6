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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Caches tokens per scope in front of an azure-identity credential and refreshes them before they
 * expire (five minutes, or half the lifetime of short-lived tokens). msal4j's own cache misses
 * whenever the authority URL has a port (as the sandbox's has), so every Graph request would
 * otherwise fetch a token.
 *
 * <p>{@link #invalidate} drops a token after a 401, so the next call asks azure-identity again. For
 * a confidential client (secret, certificate, workload identity) asking again is not enough: MSAL
 * answers from its own cache until the token expires. The next request therefore carries a claims
 * challenge, {@code {"access_token":{"nbf":{"essential":true,"value":"<now>"}}}} (the form Graph
 * sends with a continuous access evaluation 401), which azure-identity turns into a silent request
 * with {@code forceRefresh} and the token endpoint into a token issued now. Managed identity
 * endpoints cache tokens themselves and take no claims; for them the next call is simply asked
 * anew.
 */
public final class CachingCredential implements TokenCredential {
  private static final Duration MARGIN = Duration.ofMinutes(5);

  private record Entry(AccessToken token, OffsetDateTime refreshAt) {}

  private final TokenCredential delegate;
  private final Clock clock;
  private final boolean claimsRefresh;
  private final Map<List<String>, Entry> cache = new ConcurrentHashMap<>();
  private final Set<List<String>> refused = ConcurrentHashMap.newKeySet();

  public CachingCredential(TokenCredential delegate) {
    this(delegate, Time.SYSTEM, false);
  }

  /** A cache whose expiry and refresh decisions read {@code time}. */
  public CachingCredential(TokenCredential delegate, Time time) {
    this(delegate, time, false);
  }

  /**
   * @param claimsRefresh after {@link #invalidate}, ask with a claims challenge (confidential
   *     clients, whose MSAL cache would otherwise answer with the refused token)
   */
  public CachingCredential(TokenCredential delegate, Time time, boolean claimsRefresh) {
    this.delegate = delegate;
    this.clock = time.clock();
    this.claimsRefresh = claimsRefresh;
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
      AccessToken fresh = delegate.getTokenSync(asked(key, request, now));
      Duration life = Duration.between(now, fresh.getExpiresAt());
      Duration margin = life.compareTo(MARGIN.multipliedBy(2)) < 0 ? life.dividedBy(2) : MARGIN;
      cache.put(key, new Entry(fresh, fresh.getExpiresAt().minus(margin)));
      return fresh;
    }
  }

  private TokenRequestContext asked(
      List<String> key, TokenRequestContext request, OffsetDateTime now) {
    if (!refused.remove(key) || !claimsRefresh || request.getClaims() != null) {
      return request;
    }
    return new TokenRequestContext()
        .setScopes(request.getScopes())
        .setTenantId(request.getTenantId())
        .setCaeEnabled(true)
        .setClaims(notBefore(now));
  }

  /** A claims challenge for a token issued no earlier than {@code now}. */
  static String notBefore(OffsetDateTime now) {
    return "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\""
        + now.toEpochSecond()
        + "\"}}}";
  }

  /**
   * When the cached token soonest to expire does, or null when none is cached: what the token
   * expiry metric shows (a value in the past means refreshing has been failing).
   */
  public OffsetDateTime earliestExpiry() {
    return cache.values().stream()
        .map(e -> e.token().getExpiresAt())
        .min(OffsetDateTime::compareTo)
        .orElse(null);
  }

  /**
   * Forgets the token of these scopes (after the service answered 401): the next call asks the
   * credential for a new one, past MSAL's cache where the credential is a confidential client.
   */
  public void invalidate(String... scopes) {
    List<String> key = List.of(scopes);
    cache.remove(key);
    refused.add(key);
  }
}
