package io.dirpipe.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class TransactionsIT {

  @Test
  void readCommittedSeesCommittedRecordsOnlyAndAbortedOnesAreInvisible(TestKafka kafka) {
    String topic = kafka.newTopic("tx", 3);
    Map<String, Object> config = kafka.producerConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      send(producer, topic, "committed-1", "committed-2", "committed-3");
      producer.commitTransaction();
      send(producer, topic, "aborted-1", "aborted-2");
      producer
          .flush(); // in the log before the abort marker, so the isolation level is what hides them
      producer.abortTransaction();
      send(producer, topic, "committed-4");
      producer.commitTransaction();
    }

    assertThat(readAll(kafka, topic, "read_committed", 4))
        .containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3", "committed-4");
    // The aborted records are really in the log: read_uncommitted sees them.
    assertThat(readAll(kafka, topic, "read_uncommitted", 6)).contains("aborted-1", "aborted-2");
  }

  private static void send(KafkaProducer<String, String> producer, String topic, String... values) {
    producer.beginTransaction();
    for (String v : values) {
      producer.send(new ProducerRecord<>(topic, v, v));
    }
  }

  /** Reads until {@code expected} records arrived, then one more poll to catch any extra. */
  private static List<String> readAll(
      TestKafka kafka, String topic, String isolation, int expected) {
    Map<String, Object> config = kafka.consumerConfig("reader-" + isolation + "-" + topic);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
    }
    return values;
  }
}
