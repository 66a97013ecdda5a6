package io.dirpipe.sink.loganalytics;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import io.dirpipe.core.EnvNames;
import io.dirpipe.core.RetryPolicy;
import io.dirpipe.core.Time;
import io.dirpipe.identity.Audience;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.SinkRunner;
import io.dirpipe.sink.SinkStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;

/**
 * Change events, membership changes and run events into Log Analytics custom tables through the
 * Logs Ingestion API. A poll's offsets are committed once every row of it is accepted or
 * dead-lettered: at-least-once delivery, rows carry {@code EventId} for de-duplication.
 */
public final class LogAnalyticsSink implements SinkRunner.Delivery {
  private final LogRows rows;
  private final LogsUploader uploader;
  private final DeadLetters deadLetters;

  LogAnalyticsSink(LogRows rows, LogsUploader uploader, DeadLetters deadLetters) {
    this.rows = rows;
    this.uploader = uploader;
    this.deadLetters = deadLetters;
  }

  /**
   * @param httpClient azure-core client (a custom trust store), or null for the default
   * @throws ConfigException when the endpoint or the rule id is missing
   */
  public static LogAnalyticsSink create(
      SinkConfig config,
      TokenCredential credential,
      HttpClient httpClient,
      Topics topics,
      DeadLetters deadLetters,
      SinkStats stats,
      Time time) {
    String endpoint = require(config, SinkConfig.LOGS_ENDPOINT);
    String rule = require(config, SinkConfig.LOGS_RULE_ID);
    Supplier<LogsIngestionClient> clients =
        () -> {
          // azure-core retries nothing: LogsUploader is this integration's one retry policy
          LogsIngestionClientBuilder builder =
              new LogsIngestionClientBuilder()
                  .endpoint(endpoint)
                  .credential(credential)
                  .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0)));
          if (httpClient != null) {
            builder.httpClient(httpClient);
          }
          return builder.buildClient();
        };
    Runnable forgetToken =
        () -> {
          if (credential instanceof CachingCredential c) {
            c.invalidate(Audience.MONITOR.scope());
          }
        };
    RetryPolicy policy =
        RetryPolicy.of(
            config.getInt(SinkConfig.LOGS_MAX_ATTEMPTS),
            io.dirpipe.core.ConfigDurations.get(config, SinkConfig.LOGS_RETRY_TIMEOUT));
    return new LogAnalyticsSink(
        new LogRows(topics, config),
        new LogsUploader(
            clients,
            forgetToken,
            policy,
            rule,
            config.getInt(SinkConfig.LOGS_CONCURRENCY),
            deadLetters,
            stats,
            time),
        deadLetters);
  }

  private static String require(SinkConfig config, String key) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      throw new ConfigException(
          key, value, "required by the Log Analytics sink (variable " + EnvNames.of(key) + ")");
    }
    return value;
  }

  /** The topics this sink reads. */
  public List<io.dirpipe.schemas.Topic<?, ?>> topics() {
    return rows.topics();
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> accept(ConsumerRecords<byte[], byte[]> records)
      throws InterruptedException {
    Map<String, List<LogRows.Row>> byStream = new LinkedHashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      offsets.put(
          new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      try {
        LogRows.Row row = rows.of(r);
        if (row != null) {
          byStream.computeIfAbsent(row.stream(), s -> new ArrayList<>()).add(row);
        }
      } catch (LogRows.Undeliverable e) {
        deadLetters.send(r, e.getMessage());
      }
    }
    for (var e : byStream.entrySet()) {
      uploader.upload(e.getKey(), e.getValue());
    }
    return offsets;
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> flush(Collection<TopicPartition> partitions) {
    return Map.of(); // every poll is delivered before accept returns
  }
}
