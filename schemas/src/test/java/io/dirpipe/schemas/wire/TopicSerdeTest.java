package io.dirpipe.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Samples;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TopicSerdeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T = Instant.parse("2026-11-24T08:00:00.123Z");

  static Topics topics(ValueFormat format) {
    Map<TopicClass, ValueFormat> all = new EnumMap<>(TopicClass.class);
    for (TopicClass c : TopicClass.values()) {
      all.put(c, format);
    }
    return new Topics("t.", new Formats(all, null));
  }

  static Change created(User user) {
    return Envelope.change(
        Operation.CREATE,
        null,
        user,
        List.of("displayName"),
        null,
        Envelope.source(Samples.TENANT, "users", "run-1", Mode.FULL, T),
        T.plusSeconds(1));
  }

  @Test
  void jsonIsPlainAndReadsBackEqual() throws Exception {
    Topic<ObjectKey, Change> changes = topics(ValueFormat.JSON).changes(Collection.USERS);
    Change change = created(Samples.user("u1"));
    byte[] bytes = changes.valueSerde().serializer().serialize(changes.name(), change);

    JsonNode json = JSON.readTree(bytes);
    assertThat(json.path("op").asText()).isEqualTo("r"); // a FULL run's create: a snapshot read
    assertThat(json.path("after").path("displayName").asText()).isEqualTo("Ada Lovelace");
    assertThat(json.path("after").path("createdDateTime").asText())
        .isEqualTo("2026-11-24T08:00:00.123Z");
    assertThat(json.path("before").isNull()).isTrue();
    assertThat(json.path("source").path("snapshot").asText()).isEqualTo("true");
    assertThat(json.path("ts_ms").asLong()).isEqualTo(T.plusSeconds(1).toEpochMilli());
    assertThat(changes.valueSerde().deserializer().deserialize(changes.name(), bytes))
        .isEqualTo(change);

    ObjectKey key = new ObjectKey(Samples.TENANT, "u1");
    byte[] keyBytes = changes.keySerde().serializer().serialize(changes.name(), key);
    assertThat(new String(keyBytes, StandardCharsets.UTF_8))
        .isEqualTo("{\"tenantId\":\"" + Samples.TENANT + "\",\"objectId\":\"u1\"}");
    assertThat(changes.keySerde().deserializer().deserialize(changes.name(), keyBytes))
        .isEqualTo(key);
  }

  @Test
  void everyInventoryAndRawRecordSurvivesJson() {
    Topics topics = topics(ValueFormat.JSON);
    Topic<ObjectKey, User> inventory = topics.inventory(Collection.USERS);
    User user = Samples.user("u1");
    byte[] bytes = inventory.valueSerde().serializer().serialize(inventory.name(), user);
    assertThat(inventory.valueSerde().deserializer().deserialize(inventory.name(), bytes))
        .isEqualTo(user);
    for (var message : Samples.everyMessage()) {
      if (message instanceof io.dirpipe.schemas.Observation o
          && o.getCollection().equals("users")) {
        var raw = topics.raw(Collection.USERS);
        byte[] b = raw.valueSerde().serializer().serialize(raw.name(), o);
        assertThat(raw.valueSerde().deserializer().deserialize(raw.name(), b)).isEqualTo(o);
      }
    }
  }

  @Test
  void aFieldMissingFromOlderJsonTakesItsDefaultAndUnknownOnesAreIgnored() {
    Topic<ObjectKey, User> inventory = topics(ValueFormat.JSON).inventory(Collection.USERS);
    byte[] old = "{\"id\":\"u9\",\"displayName\":\"Old\",\"notInTheSchema\":1}".getBytes();
    User read = inventory.valueSerde().deserializer().deserialize(inventory.name(), old);
    assertThat(read.getId()).isEqualTo("u9");
    assertThat(read.getDisplayName()).isEqualTo("Old");
    assertThat(read.getMail()).isNull();
  }

  @Test
  void aReaderInAnyFormatReadsEveryFormat() {
    Topic<ObjectKey, Change> json = topics(ValueFormat.JSON).changes(Collection.USERS);
    Topic<ObjectKey, Change> avro = topics(ValueFormat.AVRO).changes(Collection.USERS);
    Change change = created(Samples.user("u2"));
    byte[] asJson = json.valueSerde().serializer().serialize(json.name(), change);
    byte[] asAvro = avro.valueSerde().serializer().serialize(avro.name(), change);
    assertThat(avro.valueSerde().deserializer().deserialize(avro.name(), asJson)).isEqualTo(change);
    assertThat(json.valueSerde().deserializer().deserialize(json.name(), asAvro)).isEqualTo(change);
  }

  @Test
  void registryBytesWithoutARegistryAreRefusedSayingWhatToSet() {
    Topic<ObjectKey, Change> avro = topics(ValueFormat.AVRO).changes(Collection.USERS);
    byte[] confluent = {0, 0, 0, 0, 7, 2, 4};
    assertThatThrownBy(() -> avro.valueSerde().deserializer().deserialize(avro.name(), confluent))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id 7")
        .hasMessageContaining("schema-registry.url");
  }

  @Test
  void badJsonNamesTheTopicAndTheField() {
    Topic<ObjectKey, User> inventory = topics(ValueFormat.JSON).inventory(Collection.USERS);
    byte[] bad = "{\"id\":\"u1\",\"accountEnabled\":\"yes\"}".getBytes();
    assertThatThrownBy(
            () -> inventory.valueSerde().deserializer().deserialize(inventory.name(), bad))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(inventory.name())
        .hasMessageContaining("accountEnabled");
  }

  @Test
  void aChangeTopicsSchemaNamesOnlyItsOwnEntity() {
    Topic<ObjectKey, Change> changes = topics(ValueFormat.JSON).changes(Collection.GROUPS);
    Schema wire = ((TopicSerde<?>) changes.valueSerde()).wireSchema();
    assertThat(wire.getField("after").schema().getTypes())
        .extracting(Schema::getFullName)
        .containsExactly("null", "io.dirpipe.schemas.entity.Group");
    assertThat(wire.getField("op").schema().getType()).isEqualTo(Schema.Type.STRING);
    // named as Debezium names envelopes: ExtractNewRecordState knows it by the suffix
    assertThat(wire.getFullName()).isEqualTo("io.dirpipe.changes.groups.Envelope");
    assertThat(((TopicSerde<?>) changes.keySerde()).subject()).isEqualTo("t.changes.groups-key");
    assertThat(((TopicSerde<?>) changes.valueSerde()).subject())
        .isEqualTo("t.changes.groups-value");
  }

  @Test
  void avroRegistryWithoutARegistryIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> topics(ValueFormat.AVRO_REGISTRY))
        .hasMessageContaining("schema-registry.url");
  }
}
