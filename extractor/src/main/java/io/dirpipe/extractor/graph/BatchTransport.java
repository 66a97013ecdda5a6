package io.dirpipe.extractor.graph;

/**
 * What {@link BatchingSource} needs of Graph: single requests, JSON batches, the host guard, and
 * the one classification of answers. {@link GraphTransport} is the real one; tests script their
 * own.
 */
interface BatchTransport extends PageSource {
  /**
   * POSTs a JSON batch and hands each of its answers to {@code answers}.
   *
   * @throws GraphFailure for the batch as a whole
   */
  void batch(String url, byte[] json, BatchAnswers.Handler answers);

  HostGuard guard();

  /** The failure an answer with this status, error code and message stands for. */
  GraphFailure classify(
      int status, String code, String message, String retryAfterHeader, String url);

  /** A token was refused: the next request asks for a new one. */
  void tokenRefused();
}
