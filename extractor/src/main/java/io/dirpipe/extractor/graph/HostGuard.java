package io.dirpipe.extractor.graph;

import java.net.URI;

/**
 * Tokens go to the configured Graph host only: a next or delta link that names another scheme, host
 * or port is refused before any request is sent (a token leak and an SSRF otherwise).
 */
public final class HostGuard {
  private final URI graph;

  public HostGuard(String graphBaseUrl) {
    this.graph = URI.create(graphBaseUrl);
  }

  /**
   * @throws GraphFailure (permanent) naming both hosts
   */
  public void check(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw GraphFailure.permanent(
          0, null, "Graph returned a link that is not a URL; refusing to follow it");
    }
    if (!graph.getScheme().equalsIgnoreCase(u.getScheme())
        || !graph.getHost().equalsIgnoreCase(String.valueOf(u.getHost()))
        || port(graph) != port(u)) {
      throw GraphFailure.permanent(
          0,
          null,
          "Refusing to follow a link to "
              + u.getScheme()
              + "://"
              + u.getHost()
              + (u.getPort() > 0 ? ":" + u.getPort() : "")
              + ": Graph tokens are sent to "
              + graph.getScheme()
              + "://"
              + graph.getHost()
              + (graph.getPort() > 0 ? ":" + graph.getPort() : "")
              + " only (graph.url). No request was sent.");
    }
  }

  private static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
