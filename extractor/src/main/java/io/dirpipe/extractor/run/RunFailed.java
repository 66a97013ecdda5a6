package io.dirpipe.extractor.run;

import io.dirpipe.core.kafka.BrokerUnavailable;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.schemas.RunEventType;
import java.util.List;

/**
 * A run that stopped on an error, with its summary as far as it got (pages and records handed to
 * the broker). Its FAILED event is in the runs topic when the broker took it; its committed
 * checkpoint is left as it was, so the next start resumes after the last committed page.
 */
public final class RunFailed extends RuntimeException {
  private final RunSummary summary;

  RunFailed(RunSummary summary, Throwable cause) {
    super(summary.error(), cause);
    this.summary = summary;
  }

  public RunSummary summary() {
    return summary;
  }

  /** Records the failure in the runs topic (best effort) and returns what to throw. */
  static RunFailed record(Publisher publisher, RunState state, RuntimeException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof BrokerUnavailable) {
      // the FAILED event could not reach the brokers either; the summary and the log say it
      return new RunFailed(state.summary("failed", reason), e);
    }
    try {
      publisher.commit(
          new Publisher.Batch(
              List.of(), null, List.of(), List.of(state.event(RunEventType.FAILED, reason))));
    } catch (RuntimeException notRecorded) {
      e.addSuppressed(notRecorded); // the broker is the problem, or another extractor took over
    }
    return new RunFailed(state.summary("failed", reason), e);
  }
}
