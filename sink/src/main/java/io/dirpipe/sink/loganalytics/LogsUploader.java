package io.dirpipe.sink.loganalytics;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.models.LogsUploadError;
import com.azure.monitor.ingestion.models.LogsUploadOptions;
import io.dirpipe.core.RetryAfter;
import io.dirpipe.core.RetryPolicy;
import io.dirpipe.core.Time;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkStats;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads rows until each is accepted (204) or dead-lettered. This is the integration's one retry
 * policy (azure-core's own retries are off): what fails comes back here per batch and is:
 *
 * <ul>
 *   <li>retried when transient (429, 5xx, 408, no answer) after the service's Retry-After or a
 *       backoff with full jitter, within the sink's {@link RetryPolicy} (attempts and deadline);
 *       when that is spent the sink stops without committing, so the rows are read again on the
 *       next start;
 *   <li>split in halves on 413, a single row too large for any call dead-lettered;
 *   <li>split on any other 400, a single row the service refuses dead-lettered;
 *   <li>after a 401, sent once more by a new client with a token asked anew of the credential;
 *   <li>fatal when the configuration is wrong (401 again, 403, 404, unknown rule or stream):
 *       nothing more can be delivered, so the sink stops without committing.
 * </ul>
 */
final class LogsUploader {
  private static final Logger log = LoggerFactory.getLogger(LogsUploader.class);
  private static final Set<String> FATAL_CODES =
      Set.of("InvalidDataCollectionRule", "InvalidStream");

  /** The service refused every row for a reason only the operator can fix. */
  static final class Fatal extends RuntimeException {
    Fatal(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Supplier<LogsIngestionClient> clients;
  private final Runnable forgetToken;
  private final RetryPolicy policy;
  private LogsIngestionClient client;
  private final String ruleId;
  private final int concurrency;
  private final DeadLetters deadLetters;
  private final SinkStats stats;
  private final Time time;

  /**
   * @param clients makes a client; a new one (with a new token) is made after a 401
   * @param forgetToken drops the cached Monitor token, so the next client asks the credential
   */
  LogsUploader(
      Supplier<LogsIngestionClient> clients,
      Runnable forgetToken,
      RetryPolicy policy,
      String ruleId,
      int concurrency,
      DeadLetters deadLetters,
      SinkStats stats,
      Time time) {
    this.clients = clients;
    this.forgetToken = forgetToken;
    this.policy = policy;
    this.client = clients.get();
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
    RetryPolicy.Retries retries = policy.start(time);
    boolean freshToken = false;
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
        } else if (status == 401 && !freshToken) {
          freshToken = true;
          log.info("Logs Ingestion answered 401; asking the credential for a new token");
          forgetToken.run();
          client = clients.get();
          work.push(failedRows);
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
        Duration wait = retries.next(retryAfter(errors));
        if (wait == null) {
          throw new Fatal(
              "Logs Ingestion did not accept stream '"
                  + stream
                  + "' of rule '"
                  + ruleId
                  + "' after "
                  + retries.summary()
                  + " (last: "
                  + message(errors.get(0))
                  + "). Nothing of this batch was committed: the next start delivers it again."
                  + " Check the service's health and logs.endpoint",
              errors.get(0).getResponseException());
        }
        log.info(
            "Logs Ingestion: {}; retry {} in {} ms",
            message(errors.get(0)),
            retries.failures(),
            wait.toMillis());
        time.sleep(wait);
      } else if (errors.isEmpty()) {
        retries = policy.start(time);
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
    String code = r == null ? null : r.getHeaderValue("x-ms-error-code");
    return code != null && FATAL_CODES.contains(code);
  }

  private static String message(LogsUploadError e) {
    HttpResponseException x = e.getResponseException();
    return x == null ? "no answer" : String.valueOf(x.getMessage());
  }

  /** The longest Retry-After of the answers, or null when none gave one. */
  private Duration retryAfter(List<LogsUploadError> errors) {
    Duration longest = null;
    for (LogsUploadError e : errors) {
      HttpResponse r =
          e.getResponseException() == null ? null : e.getResponseException().getResponse();
      Duration after =
          RetryAfter.parse(r == null ? null : r.getHeaderValue("Retry-After"), time.now());
      if (after != null && (longest == null || after.compareTo(longest) > 0)) {
        longest = after;
      }
    }
    return longest;
  }
}
