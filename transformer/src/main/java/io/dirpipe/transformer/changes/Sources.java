package io.dirpipe.transformer.changes;

import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Source;

/** The source block of a change event: the observation that caused it. */
final class Sources {
  private Sources() {}

  static Source of(Observation cause) {
    return Envelope.source(
        cause.getTenantId(),
        cause.getCollection(),
        cause.getRunId(),
        cause.getMode(),
        cause.getObservedAt());
  }
}
