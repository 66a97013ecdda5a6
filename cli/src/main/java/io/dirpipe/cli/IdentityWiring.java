package io.dirpipe.cli;

import io.dirpipe.identity.Audience;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.identity.credential.Credentials;
import io.dirpipe.identity.graph.ApiClient;
import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Builds the identity module's objects from configuration: credential, HTTP client, API clients.
 */
final class IdentityWiring {
  final IdentityConfig config;
  final CachingCredential credential;
  final HttpClient http;

  IdentityWiring(IdentityConfig config) {
    this.config = config;
    this.credential = Credentials.build(config);
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    SSLContext tls = Credentials.trustStore(config);
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  ApiClient graph() {
    return new ApiClient(config.graphUrl(), credential, Audience.GRAPH, http, config.cloud());
  }

  ApiClient arm() {
    return config.subscriptionId() == null
        ? null
        : new ApiClient(config.armUrl(), credential, Audience.ARM, http, config.cloud());
  }
}
