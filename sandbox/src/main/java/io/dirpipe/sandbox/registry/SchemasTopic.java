package io.dirpipe.sandbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.schemas.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The registry's log: a compacted topic ({@code _schemas}) holding, in Confluent's layout, one
 * record per subject version ({@code {"keytype":"SCHEMA","subject":..,"version":..}}) and per
 * compatibility setting ({@code {"keytype":"CONFIG","subject":..}}). Read whole at start; each
 * write is acknowledged by the broker before the registry answers.
 */
final class SchemasTopic implements AutoCloseable {
  static final String NAME = "_schemas";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaClients kafka;
  private final Topic<String, String> topic;
  private final Producer<String, String> producer;

  SchemasTopic(KafkaClients kafka) {
    this.kafka = kafka;
    this.topic =
        new Topic<>(NAME, Serdes.String(), Serdes.String(), io.dirpipe.schemas.TopicKind.INTERNAL);
    TopicSetup.ensure(kafka, List.of(topic), io.dirpipe.schemas.TopicLayout.DEFAULT);
    this.producer =
        kafka.producer(
            ClientSettings.of("schema-registry").require(ProducerConfig.ACKS_CONFIG, "all"),
            Serdes.String().serializer(),
            Serdes.String().serializer());
  }

  /** Replays every stored record into {@code subjects}. */
  void load(Subjects subjects) {
    TopicReader.readAll(
        kafka,
        topic,
        r -> {
          if (r.value() == null) {
            return;
          }
          JsonNode key = read(r.key());
          JsonNode value = read(r.value());
          switch (key.path("keytype").asText()) {
            case "SCHEMA" ->
                subjects.apply(
                    new Subjects.Version(
                        value.path("subject").asText(),
                        value.path("version").asInt(),
                        value.path("id").asInt(),
                        value.path("schema").asText()));
            case "CONFIG" ->
                subjects.level(
                    key.hasNonNull("subject") ? key.path("subject").asText() : null,
                    value.path("compatibilityLevel").asText());
            default -> {} // another registry's record kind: not ours to read
          }
        });
  }

  void write(Subjects.Version v) {
    ObjectNode key =
        JSON.createObjectNode()
            .put("keytype", "SCHEMA")
            .put("subject", v.subject())
            .put("version", v.version())
            .put("magic", 1);
    ObjectNode value =
        JSON.createObjectNode()
            .put("subject", v.subject())
            .put("version", v.version())
            .put("id", v.id())
            .put("schema", v.schema())
            .put("deleted", false);
    send(key, value);
  }

  void writeLevel(String subject, String level) {
    ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
    if (subject != null) {
      key.put("subject", subject);
    } else {
      key.putNull("subject");
    }
    key.put("magic", 0);
    send(key, JSON.createObjectNode().put("compatibilityLevel", level));
  }

  private void send(ObjectNode key, ObjectNode value) {
    try {
      producer.send(new ProducerRecord<>(NAME, key.toString(), value.toString())).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted writing to " + NAME, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot write to " + NAME + ": " + e.getCause(), e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("A record of " + NAME + " is not JSON", e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
