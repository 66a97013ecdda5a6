package io.dirpipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.schemas.Samples;
import io.dirpipe.schemas.entity.User;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  @Test
  void everyMessageTypeRoundTrips() {
    List<SpecificRecord> samples = Samples.everyMessage();
    assertThat(samples.stream().map(Object::getClass).distinct())
        .containsAll(SchemaHistory.MESSAGES);
    for (SpecificRecord record : samples) {
      AvroSerde<SpecificRecord> serde = serdeFor(record);
      byte[] bytes = serde.serialize("t", record);
      assertThat(bytes[0]).isEqualTo((byte) 0xC3); // single-object encoding marker
      assertThat(bytes[1]).isEqualTo((byte) 0x01);
      assertThat(serde.deserialize("t", bytes))
          .as(record.getClass().getSimpleName())
          .isEqualTo(record);
    }
  }

  @Test
  void nullIsATombstoneBothWays() {
    AvroSerde<User> serde = AvroSerde.of(User.class);
    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void recordWrittenWithAnOlderSchemaIsReadByTheCurrentOne() throws Exception {
    Schema current = User.getClassSchema();
    // An older User: no employeeId, no proxyAddresses (both added later, with defaults).
    Schema older = withoutFields(current, "employeeId", "proxyAddresses");
    GenericRecord old = new GenericData.Record(older);
    old.put("id", "u-old");
    old.put("displayName", "Grace Hopper");
    old.put("accountEnabled", true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old, out);

    SchemaHistory history = new SchemaHistory(List.of(Map.of(older.getFullName(), older)));
    User read = new AvroSerde<>(User.class, history).deserialize("users", out.toByteArray());

    assertThat(read.getId()).isEqualTo("u-old");
    assertThat(read.getDisplayName()).isEqualTo("Grace Hopper");
    assertThat(read.getAccountEnabled()).isTrue();
    assertThat(read.getEmployeeId()).isNull();
    assertThat(read.getProxyAddresses()).isNull();
  }

  @Test
  void unknownWriterSchemaFailsNamingTopicAndFingerprint() throws Exception {
    Schema stranger =
        SchemaBuilder.record("User")
            .namespace("io.dirpipe.schemas.entity")
            .fields()
            .requiredString("id")
            .requiredLong("extra")
            .endRecord();
    GenericRecord r = new GenericData.Record(stranger);
    r.put("id", "x");
    r.put("extra", 1L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), stranger).encode(r, out);

    assertThatThrownBy(
            () ->
                AvroSerde.of(User.class).deserialize("dirpipe.inventory.users", out.toByteArray()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("dirpipe.inventory.users")
        .hasMessageContaining("fingerprint")
        .hasMessageContaining("Upgrade dirpipe");
  }

  @Test
  void bytesOfAnotherFormatFailClearly() {
    assertThatThrownBy(() -> AvroSerde.of(User.class).deserialize("t", "{\"id\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not Avro single-object encoded");
  }

  static Schema withoutFields(Schema schema, String... dropped) {
    List<String> drop = List.of(dropped);
    List<Schema.Field> fields =
        schema.getFields().stream()
            .filter(f -> !drop.contains(f.name()))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  @SuppressWarnings("unchecked")
  private static AvroSerde<SpecificRecord> serdeFor(SpecificRecord record) {
    return AvroSerde.of((Class<SpecificRecord>) record.getClass());
  }
}
