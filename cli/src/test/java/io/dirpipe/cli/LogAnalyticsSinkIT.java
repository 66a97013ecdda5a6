package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code dirpipe sink loganalytics} against the sandbox's Logs Ingestion API: every change event is
 * exactly one row, through 429s and 500s, through batch splitting, and past a poison record.
 */
@ExtendWith(KafkaExtension.class)
class LogAnalyticsSinkIT {
  static final int EVENTS = 10_000;
  static final String STREAM = "Custom-DirpipeChanges_CL";
  static final String ROUTE = "POST /dataCollectionRules/{dcr}/streams/{stream}";
  static Sandbox sandbox;
  static SandboxClients clients;

  Map<String, String> env;
  Map<String, Object> kafka;
  Topics topics;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(10).withQuota(Throttle.Quota.OFF));
    clients = new SandboxClients(sandbox);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void topics(TestKafka broker) throws Exception {
    String prefix = "la" + UUID.randomUUID().toString().substring(0, 6) + ".";
    env = new HashMap<>(PackagedDirpipe.extractorEnv(sandbox, broker, prefix));
    env.put("DIRPIPE_LOGS_SOURCES", "changes");
    env.put("DIRPIPE_SINK_COLLECTIONS", "users");
    kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    topics = new Topics(prefix);
    sandbox.ingested().clear();
    sandbox.stats().reset();
    clients.send("DELETE", "/_sandbox/faults", "");
    clients.send(
        "PUT", "/_sandbox/logs", "{\"maxBytes\":1048576}", "Content-Type", "application/json");
    publishChanges();
  }

  @Test
  void everyChangeIsOneRow() throws Exception {
    JsonNode counts = sink();
    assertThat(counts.path("rows").asLong()).isEqualTo(EVENTS);
    assertThat(rowsIngested()).isEqualTo(EVENTS);
    assertThat(eventIds()).hasSize(EVENTS);
    JsonNode row = sandbox.ingested().rows(STREAM).get(0);
    assertThat(row.path("Operation").asText()).isEqualTo("CREATE");
    assertThat(row.path("After").path("displayName").asText()).startsWith("User ");
    assertThat(row.path("ChangedFields").isArray()).isTrue();
  }

  @Test
  void throttlingAndServerErrorsAreRetriedToExactlyOnce() throws Exception {
    clients.control("faults", "{\"p429\":0.3,\"p500\":0.2,\"retryAfterSeconds\":1,\"seed\":7}");
    JsonNode counts = sink();
    assertThat(rowsIngested()).isEqualTo(EVENTS);
    assertThat(eventIds()).hasSize(EVENTS);
    assertThat(answered(429) + answered(500)).as("faults the sink went through").isPositive();
    assertThat(counts.path("deadLettered").asLong()).isZero();
  }

  @Test
  void batchesOverTheSizeLimitAreSplit() throws Exception {
    clients.send(
        "PUT", "/_sandbox/logs", "{\"maxBytes\":30000}", "Content-Type", "application/json");
    JsonNode counts = sink();
    assertThat(rowsIngested()).isEqualTo(EVENTS);
    assertThat(eventIds()).hasSize(EVENTS);
    assertThat(counts.path("deadLettered").asLong()).isZero();
    assertThat(answered(413)).as("calls over the limit").isPositive();
    assertThat(counts.path("batches").asLong()).isGreaterThan(10);
  }

  @Test
  void aPoisonRecordGoesToTheDeadLetterTopicAndTheRestIsDelivered() throws Exception {
    Topic<ObjectKey, Change> changes = topics.changes(Collection.USERS);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(kafka, new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  changes.name(),
                  "not avro".getBytes(StandardCharsets.UTF_8),
                  new byte[] {1, 2, 3}))
          .get();
    }
    JsonNode counts = sink();
    assertThat(rowsIngested()).isEqualTo(EVENTS);
    assertThat(counts.path("deadLettered").asLong()).isEqualTo(1);
    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    TopicReader.readAll(KafkaClients.of(kafka), topics.deadLetters("loganalytics"), dead::add);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).containsExactly(1, 2, 3);
    assertThat(
            new String(
                dead.get(0).headers().lastHeader("dirpipe.error").value(), StandardCharsets.UTF_8))
        .contains("cannot decode");
    assertThat(
            new String(
                dead.get(0).headers().lastHeader("dirpipe.source.topic").value(),
                StandardCharsets.UTF_8))
        .isEqualTo(changes.name());
  }

  private JsonNode sink() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"sink", "loganalytics", "--until-idle", "2s", "--json"},
            env,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return new ObjectMapper().readTree(out.toString());
  }

  private long rowsIngested() {
    return sandbox.ingested().counts().getOrDefault(STREAM, 0L);
  }

  private static long answered(int status) {
    return sandbox.stats().requests(ROUTE, status);
  }

  private Set<String> eventIds() {
    Set<String> ids = new HashSet<>();
    sandbox.ingested().rows(STREAM).forEach(r -> ids.add(r.path("EventId").asText()));
    return ids;
  }

  private void publishChanges() throws Exception {
    Topic<ObjectKey, Change> t = topics.changes(Collection.USERS);
    TopicSetup.ensure(KafkaClients.of(kafka), List.of(t), io.dirpipe.schemas.TopicLayout.DEFAULT);
    String tenant = sandbox.tenant().tenantId();
    Instant now = Instant.now();
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    try (KafkaProducer<ObjectKey, Change> p =
        new KafkaProducer<>(
            TestProducers.config(kafka), t.keySerde().serializer(), t.valueSerde().serializer())) {
      for (int i = 0; i < EVENTS; i++) {
        String id = UUID.nameUUIDFromBytes(("u" + i).getBytes(StandardCharsets.UTF_8)).toString();
        User u =
            User.newBuilder()
                .setId(id)
                .setDisplayName("User " + i)
                .setDepartment("Dept " + (i % 50))
                .setJobTitle("Title " + (i % 7))
                .build();
        sent.add(
            p.send(
                new ProducerRecord<>(
                    t.name(),
                    new ObjectKey(tenant, id),
                    Envelope.change(
                        Operation.CREATE,
                        null,
                        u,
                        List.of("id", "displayName", "jobTitle", "department"),
                        null,
                        Envelope.source(tenant, "users", "run-1", Mode.FULL, now),
                        now))));
      }
    }
    for (var f : sent) {
      f.get(); // every event is in the topic, or the test stops here
    }
  }
}
