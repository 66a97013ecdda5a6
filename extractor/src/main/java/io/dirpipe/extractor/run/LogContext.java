package io.dirpipe.extractor.run;

import org.slf4j.MDC;

/**
 * The tenant, collection and run id on every log line of a run's thread (SLF4J's MDC): JSON logs
 * ({@code DIRPIPE_LOG_FORMAT=json}) carry them as fields under {@code mdc}, so a log query can
 * follow one run. Cleared when the run ends.
 */
public final class LogContext implements AutoCloseable {
  public static final String TENANT = "tenant";
  public static final String COLLECTION = "collection";
  public static final String RUN_ID = "run_id";

  private LogContext() {}

  /** Sets tenant and collection for this thread; the run id follows when the run state exists. */
  public static LogContext of(String tenant, String collection) {
    MDC.put(TENANT, tenant);
    MDC.put(COLLECTION, collection);
    return new LogContext();
  }

  @Override
  public void close() {
    MDC.remove(TENANT);
    MDC.remove(COLLECTION);
    MDC.remove(RUN_ID);
  }
}
