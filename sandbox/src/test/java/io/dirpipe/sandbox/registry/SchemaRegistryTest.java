package io.dirpipe.sandbox.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.schemas.serde.AvroSerde;
import io.dirpipe.schemas.wire.Formats;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import io.dirpipe.schemas.wire.RegistryClient;
import io.dirpipe.schemas.wire.TopicSerde;
import io.dirpipe.schemas.wire.ValueFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dirpipe's registry client and serdes against the sandbox's registry (in memory). */
class SchemaRegistryTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  SchemaRegistry registry;
  RegistryClient client;

  @BeforeEach
  void start() {
    registry = SchemaRegistry.start(null);
    client = new RegistryClient(registry.url(), null, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  Topics topics() {
    return new Topics(
        "r.",
        new Formats(
            Map.of(
                TopicClass.RAW, ValueFormat.AVRO_REGISTRY,
                TopicClass.CHANGES, ValueFormat.AVRO_REGISTRY,
                TopicClass.INVENTORY, ValueFormat.AVRO_REGISTRY,
                TopicClass.RUNS, ValueFormat.AVRO_REGISTRY),
            client));
  }

  static User user(String id) {
    return User.newBuilder().setId(id).setDisplayName("Grace").setCreatedDateTime(T).build();
  }

  @Test
  void writesTheConfluentWireFormatAndReadsItBack() {
    Topic<ObjectKey, Change> changes = topics().changes(Collection.USERS);
    changes.registerSchemas();
    Change change =
        Envelope.change(
            Operation.CREATE,
            null,
            user("u1"),
            List.of("displayName"),
            null,
            Envelope.source("t1", "users", "run-1", Mode.DELTA, T),
            T);
    byte[] bytes = changes.valueSerde().serializer().serialize(changes.name(), change);

    assertThat(bytes[0]).isEqualTo((byte) 0);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    Schema registered = client.schema(id);
    assertThat(registered.getField("after").schema().getTypes()).hasSize(2); // null and User
    assertThat(client.versions("r.changes.users-value")).containsExactly(1);
    assertThat(client.versions("r.changes.users-key")).containsExactly(1);
    // a reader that knows nothing but the registry: another catalogue, a fresh client
    Topics reader =
        new Topics(
            "r.",
            new Formats(
                Map.of(TopicClass.CHANGES, ValueFormat.AVRO),
                new RegistryClient(registry.url(), null, Duration.ofSeconds(10))));
    Change read =
        reader.changes(Collection.USERS).valueSerde().deserializer().deserialize("x", bytes);
    assertThat(read).isEqualTo(change);
    assertThat(read.getOp()).isEqualTo("c");
  }

  @Test
  void registeringAgainKeepsTheVersionAndTheId() {
    Topic<ObjectKey, User> inventory = topics().inventory(Collection.USERS);
    inventory.registerSchemas();
    topics().inventory(Collection.USERS).registerSchemas();
    assertThat(client.versions("r.inventory.users-value")).containsExactly(1);
    int id = client.register("another-subject", AvroSerde.MODEL.getSchema(User.class));
    assertThat(client.register("r.inventory.users-value", AvroSerde.MODEL.getSchema(User.class)))
        .isEqualTo(id); // one schema, one global id, whatever the subject
  }

  @Test
  void aFieldWithADefaultRegistersANewVersion() {
    topics().inventory(Collection.USERS).registerSchemas();
    Schema added = withField(AvroSerde.MODEL.getSchema(User.class), "costCenter", true);
    serde(added).register();
    assertThat(client.versions("r.inventory.users-value")).containsExactly(1, 2);
    assertThat(client.version("r.inventory.users-value", 2).getField("costCenter")).isNotNull();
  }

  @Test
  void anIncompatibleChangeIsRefusedNamingTheFieldAndTheSubject() {
    topics().inventory(Collection.USERS).registerSchemas();
    Schema noDefault = withField(AvroSerde.MODEL.getSchema(User.class), "costCenter", false);
    assertThatThrownBy(() -> serde(noDefault).register())
        .isInstanceOf(TopicSerde.IncompatibleSchemaException.class)
        .hasMessageContaining("r.inventory.users-value")
        .hasMessageContaining("costCenter");
    assertThat(client.versions("r.inventory.users-value")).containsExactly(1);
  }

  @Test
  void theRegistryItselfRefusesUnderTheLevelDirpipeSets() {
    topics().inventory(Collection.USERS).registerSchemas();
    assertThat(get("/config/r.inventory.users-value").path("compatibilityLevel").asText())
        .isEqualTo("FULL_TRANSITIVE");
    Schema noDefault = withField(AvroSerde.MODEL.getSchema(User.class), "costCenter", false);
    assertThatThrownBy(() -> client.register("r.inventory.users-value", noDefault))
        .isInstanceOf(RegistryClient.RegistryException.class)
        .hasMessageContaining("409")
        .hasMessageContaining("costCenter");
  }

  @Test
  void answersInConfluentsShapes() throws Exception {
    assertThat(status("/subjects/nothing/versions")).isEqualTo(404);
    assertThat(get("/subjects/nothing/versions").path("error_code").asInt()).isEqualTo(40401);
    assertThat(get("/config/nothing").path("error_code").asInt()).isEqualTo(40408);
    assertThat(get("/config").path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    int id = client.register("s-value", AvroSerde.MODEL.getSchema(ObjectKey.class));
    JsonNode latest = get("/subjects/s-value/versions/latest");
    assertThat(latest.path("id").asInt()).isEqualTo(id);
    assertThat(latest.path("version").asInt()).isEqualTo(1);
    assertThat(latest.path("subject").asText()).isEqualTo("s-value");
    assertThat(get("/schemas/ids/" + id).path("schema").asText()).contains("ObjectKey");
    assertThat(get("/schemas/ids/999").path("error_code").asInt()).isEqualTo(40403);
    assertThat(get("/subjects").toString()).isEqualTo("[\"s-value\"]");
    ObjectNode body =
        JSON.createObjectNode().put("schema", AvroSerde.MODEL.getSchema(User.class).toString());
    JsonNode check =
        post("/compatibility/subjects/s-value/versions/latest?verbose=true", body.toString());
    assertThat(check.path("is_compatible").asBoolean()).isFalse(); // BACKWARD: another record
    assertThat(check.path("messages").size()).isPositive();
  }

  TopicSerde<User> serde(Schema schema) {
    return new TopicSerde<>(
        User.class, "r.inventory.users-value", schema, ValueFormat.AVRO_REGISTRY, client);
  }

  static Schema withField(Schema record, String name, boolean withDefault) {
    ObjectNode json;
    try {
      json = (ObjectNode) JSON.readTree(record.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    ObjectNode field = json.withArray("fields").addObject().put("name", name);
    if (withDefault) {
      field.putArray("type").add("null").add("string");
      field.putNull("default");
    } else {
      field.put("type", "string");
    }
    return new Schema.Parser().parse(json.toString());
  }

  JsonNode get(String path) {
    return call("GET", path, null).body;
  }

  int status(String path) {
    return call("GET", path, null).status;
  }

  JsonNode post(String path, String body) {
    return call("POST", path, body).body;
  }

  record Answer(int status, JsonNode body) {}

  Answer call(String method, String path, String body) {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var request =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(registry.url() + path))
              .method(
                  method,
                  body == null
                      ? java.net.http.HttpRequest.BodyPublishers.noBody()
                      : java.net.http.HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/vnd.schemaregistry.v1+json")
              .build();
      var r = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }
}
