package io.dirpipe.sink.loganalytics;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.models.LogsUploadError;
import com.azure.monitor.ingestion.models.LogsUploadOptions;
import io.dirpipe.core.RetryAfter;
import io.dirpipe.core.Time;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkStats;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads rows until each is accepted (204) or dead-lettered. azure-core retries 408/429/5xx a few
 * times itself, honouring Retry-After; what still fails comes back here per batch and is:
 *
 * <ul>
 *   <li>retried after a backoff, forever, when transient (429, 5xx, 408, no answer);
 *   <li>split in halves on 413, a single row too large for any call dead-lettered;
 *   <li>split on any other 400, a single row the service refuses dead-lettered;
 *   <li>fatal when the configuration is wrong (401, 403, 404, unknown rule or stream): nothing more
 *       can be delivered, so the sink stops without committing.
 * </ul>
 */
final class LogsUploader {
  private static final Logger log = LoggerFactory.getLogger(LogsUploader.class);
  private static final Set<String> FATAL_CODES =
      Set.of("InvalidDataCollectionRule", "InvalidStream");
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  /** The service refused every row for a reason only the operator can fix. */
  static final class Fatal extends RuntimeException {
    Fatal(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final LogsIngestionClient client;
  private final String ruleId;
  private final int concurrency;
  private final DeadLetters deadLetters;
  private final SinkStats stats;
  private final Time time;

  LogsUploader(
      LogsIngestionClient client,
      String ruleId,
      int concurrency,
      DeadLetters deadLetters,
      SinkStats stats,
      Time time) {
    this.client = client;
    this.time = time;
    this.ruleId = ruleId;
    this.concurrency = concurrency;
    this.deadLetters = deadLetters;
    this.stats = stats;
  }

  /** Returns once every row is accepted or dead-lettered. */
  void upload(String stream, List<LogRows.Row> rows) throws InterruptedException {
    Deque<List<LogRows.Row>> work = new ArrayDeque<>();
    work.push(rows);
    int attempt = 0;
    while (!work.isEmpty()) {
      List<LogRows.Row> batch = work.pop();
      List<LogsUploadError> errors = new ArrayList<>();
      client.upload(
          ruleId,
          stream,
          List.copyOf(batch),
          new LogsUploadOptions()
              .setObjectSerializer(new RowSerializer())
              .setMaxConcurrency(concurrency)
              .setLogsUploadErrorConsumer(errors::add));
      long failed = 0;
      for (LogsUploadError e : errors) {
        failed += e.getFailedLogs().size();
      }
      count(batch, failed);
      boolean transientFailure = false;
      for (LogsUploadError e : errors) {
        List<LogRows.Row> failedRows =
            e.getFailedLogs().stream().map(LogRows.Row.class::cast).toList();
        int status = status(e.getResponseException());
        if (status == 413 || status == 400) {
          split(failedRows, e, work);
        } else if (status == 401 || status == 403 || status == 404 || fatalCode(e)) {
          throw new Fatal(
              "Logs Ingestion refused stream '"
                  + stream
                  + "' of rule '"
                  + ruleId
                  + "' ("
                  + status
                  + "): "
                  + message(e)
                  + ". Check logs.endpoint, logs.rule-id and the rule's streams, and that the identity has"
                  + " the role Monitoring Metrics Publisher on the rule (dirpipe diagnose)",
              e.getResponseException());
        } else {
          transientFailure = true;
          work.push(failedRows);
        }
      }
      if (transientFailure) {
        stats.retries.increment();
        long wait = backoff(++attempt, errors);
        log.info("Logs Ingestion: {}; retry {} in {} ms", message(errors.get(0)), attempt, wait);
        time.sleep(Duration.ofMillis(wait));
      } else if (errors.isEmpty()) {
        attempt = 0;
      }
    }
  }

  private void split(List<LogRows.Row> rows, LogsUploadError e, Deque<List<LogRows.Row>> work) {
    if (rows.size() == 1) {
      LogRows.Row row = rows.get(0);
      deadLetters.send(
          row.source(),
          "Logs Ingestion refused the row ("
              + status(e.getResponseException())
              + ", "
              + row.json().length
              + " bytes of JSON): "
              + message(e));
      return;
    }
    int half = rows.size() / 2;
    work.push(rows.subList(half, rows.size()));
    work.push(rows.subList(0, half));
  }

  private void count(List<LogRows.Row> batch, long failed) {
    long delivered = batch.size() - failed;
    if (delivered <= 0) {
      return;
    }
    long bytes = 0;
    for (LogRows.Row r : batch) {
      bytes += r.json().length;
    }
    stats.rows.add(delivered);
    stats.bytes.add(bytes * delivered / batch.size());
    stats.batches.add(Math.max(1, (bytes + (1 << 20) - 1) >> 20));
  }

  private static int status(HttpResponseException e) {
    HttpResponse r = e == null ? null : e.getResponse();
    return r == null ? 0 : r.getStatusCode();
  }

  private static boolean fatalCode(LogsUploadError e) {
    HttpResponse r =
        e.getResponseException() == null ? null : e.getResponseException().getResponse();
    return r != null && FATAL_CODES.contains(r.getHeaderValue("x-ms-error-code"));
  }

  private static String message(LogsUploadError e) {
    HttpResponseException x = e.getResponseException();
    return x == null ? "no answer" : String.valueOf(x.getMessage());
  }

  /** Retry-After of the answer when longer, else exponential with jitter, capped at 30 s. */
  private long backoff(int attempt, List<LogsUploadError> errors) {
    long exp = Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(attempt, 10));
    long wait = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
    for (LogsUploadError e : errors) {
      HttpResponse r =
          e.getResponseException() == null ? null : e.getResponseException().getResponse();
      Duration after =
          RetryAfter.parse(r == null ? null : r.getHeaderValue("Retry-After"), time.now());
      if (after != null) {
        wait = Math.max(wait, Math.min(MAX_BACKOFF_MILLIS, after.toMillis()));
      }
    }
    return wait;
  }
}
