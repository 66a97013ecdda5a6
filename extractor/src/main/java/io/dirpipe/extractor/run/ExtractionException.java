package io.dirpipe.extractor.run;

import io.dirpipe.core.Redact;

/** A run that cannot go on: the message names the collection, the run, the page and the cause. */
public final class ExtractionException extends RuntimeException {
  public ExtractionException(String message, Throwable cause) {
    super(Redact.queryTokens(message), cause);
  }
}
