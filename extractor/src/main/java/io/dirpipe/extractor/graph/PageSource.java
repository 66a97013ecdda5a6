package io.dirpipe.extractor.graph;

import java.util.Map;

/** Where pages come from: Graph through {@link GraphTransport}, or a test's scripted answers. */
public interface PageSource {
  /**
   * GETs the page at {@code url} and parses it with the reader.
   *
   * @throws GraphFailure classified for the caller's retry policy
   */
  Page get(String url, PageReader reader, Map<String, String> headers);
}
