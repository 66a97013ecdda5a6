package io.dirpipe.sandbox.http;

import java.io.IOException;

/**
 * One emulated service on the shared port (Graph, IMDS, Logs Ingestion, ...): it claims a path
 * prefix and answers in its own error format.
 */
public interface Surface {
  /** True when this surface serves the path. */
  boolean owns(String path);

  void handle(Exchange exchange) throws IOException;
}
