package io.dirpipe.sink;

import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead-letter topic of a sink: records it can never deliver, with their bytes as read and the
 * reason in headers ({@code dirpipe.error}, {@code dirpipe.source.topic}, {@code
 * dirpipe.source.partition}, {@code dirpipe.source.offset}). A send is acknowledged before the
 * source offset is committed.
 */
public final class DeadLetters implements AutoCloseable {
  private final Topic<byte[], byte[]> topic;
  private final Producer<byte[], byte[]> producer;
  private final SinkStats stats;

  public DeadLetters(KafkaClients kafka, Topic<byte[], byte[]> topic, SinkStats stats) {
    this.topic = topic;
    this.stats = stats;
    ClientSettings settings =
        ClientSettings.of("dlq-" + topic.name())
            .require(ProducerConfig.ACKS_CONFIG, "all")
            .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = kafka.producer(settings, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends one record to the dead-letter topic and waits for the broker's acknowledgement. */
  public void send(ConsumerRecord<byte[], byte[]> record, String error) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add("dirpipe.error", error.getBytes(StandardCharsets.UTF_8));
    headers.add("dirpipe.source.topic", record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(
        "dirpipe.source.partition",
        Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add(
        "dirpipe.source.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic.name(),
                  null,
                  record.timestamp() < 0 ? null : record.timestamp(),
                  record.key(),
                  record.value(),
                  headers))
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot write to the dead-letter topic " + topic.name() + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while writing to " + topic.name(), e);
    }
    stats.deadLettered.increment();
  }

  @Override
  public void close() {
    producer.close();
  }
}
