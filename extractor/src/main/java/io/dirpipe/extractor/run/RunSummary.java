package io.dirpipe.extractor.run;

/**
 * What one run did: the {@code --json} summary of {@code dirpipe extract}.
 *
 * @param status {@code completed} or {@code failed}
 * @param skipped objects of the run's pages that had no id (not keyed, so not published)
 * @param error why it failed, or null
 * @param cursors the cursors the run read on at once: 1, or its ranges (FULL runs of large
 *     collections)
 */
public record RunSummary(
    String tenantId,
    String collection,
    String runId,
    String mode,
    long records,
    long removed,
    long skipped,
    int pages,
    long requests,
    long throttled,
    long resourceUnits,
    double seconds,
    String digest,
    String status,
    String error,
    int cursors) {}
