package io.dirpipe.schemas.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.schemas.serde.AvroSerde;
import io.dirpipe.schemas.serde.PlainJson;
import io.dirpipe.schemas.serde.PlainJsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of one topic's keys or values: writes in the topic's {@link ValueFormat} and reads any
 * of the three by the first bytes (0: Confluent wire format, {@code C3 01}: single-object Avro,
 * {@code '{'}: JSON), so that a topic whose format was changed stays readable from its start.
 * Thread-safe.
 */
public final class TopicSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte MAGIC = 0;

  private final Class<T> type;
  private final String subject;
  private final Schema readerSchema;
  private final Schema wireSchema;
  private final Schema jsonReadSchema;
  private final ValueFormat format;
  private final RegistryClient registry;
  private final SpecificDatumWriter<T> writer;
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
  private volatile int id = -1;

  /**
   * @param subject the registry subject, {@code <topic>-key} or {@code <topic>-value}
   * @param wireSchema the schema written: the type's own, narrowed to the topic's entity
   * @param registry null unless a registry is configured
   */
  public TopicSerde(
      Class<T> type,
      String subject,
      Schema wireSchema,
      ValueFormat format,
      RegistryClient registry) {
    if (format == ValueFormat.AVRO_REGISTRY && registry == null) {
      throw new IllegalArgumentException(
          "topics.value-format avro-registry needs schema-registry.url");
    }
    this.type = type;
    this.subject = subject;
    this.readerSchema = AvroSerde.MODEL.getSchema(type);
    this.wireSchema = wireSchema;
    this.jsonReadSchema = WireSchema.renamedFor(wireSchema, readerSchema);
    this.format = format;
    this.registry = registry;
    this.writer = new SpecificDatumWriter<>(wireSchema, AvroSerde.MODEL);
  }

  public ValueFormat format() {
    return format;
  }

  public String subject() {
    return subject;
  }

  public Schema wireSchema() {
    return wireSchema;
  }

  /**
   * Registers the schema before anything is written (a role calls this at start): checks it against
   * every version of the subject in both directions first, so an incompatible change is refused
   * naming the field and the subject, then asks new subjects for FULL_TRANSITIVE.
   *
   * @throws IncompatibleSchemaException when the registry holds a version this schema cannot follow
   */
  public void register() {
    if (format != ValueFormat.AVRO_REGISTRY || id >= 0) {
      return;
    }
    List<Integer> versions = registry.versions(subject);
    List<String> problems = new ArrayList<>();
    for (int v : versions) {
      Schema old = registry.version(subject, v);
      problems.addAll(
          problems(old, wireSchema, "version " + v + " cannot read what dirpipe writes"));
      problems.addAll(problems(wireSchema, old, "dirpipe cannot read version " + v));
    }
    if (!problems.isEmpty()) {
      throw new IncompatibleSchemaException(
          "The "
              + type.getSimpleName()
              + " schema dirpipe writes is incompatible with subject '"
              + subject
              + "' at "
              + registry.url()
              + ": "
              + String.join("; ", problems)
              + ". Run the dirpipe version that registered it, or (a deliberate break) write to"
              + " new topics with another topics.prefix.");
    }
    if (versions.isEmpty()) {
      try {
        registry.compatibility(subject, "FULL_TRANSITIVE");
      } catch (RegistryClient.RegistryException e) {
        org.slf4j.LoggerFactory.getLogger(TopicSerde.class)
            .warn("Could not set FULL_TRANSITIVE on subject {}: {}", subject, e.getMessage());
      }
    }
    id = registry.register(subject, wireSchema);
  }

  private static List<String> problems(Schema reader, Schema writer, String direction) {
    List<String> out = new ArrayList<>();
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    for (var inc : result.getIncompatibilities()) {
      out.add(
          direction
              + ": "
              + inc.getType().name().toLowerCase()
              + " '"
              + inc.getMessage()
              + "' at "
              + inc.getLocation());
    }
    return out;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      return switch (format) {
        case AVRO -> AvroSerde.of(type).serialize(topic, data);
        case AVRO_REGISTRY -> registryBytes(data);
        case JSON -> jsonBytes(data);
      };
    } catch (AvroRuntimeException | ClassCastException | NullPointerException e) {
      throw new SerializationException(
          "Cannot write a " + type.getSimpleName() + " to topic " + topic + ": " + e.getMessage(),
          e);
    }
  }

  private byte[] registryBytes(T data) {
    if (id < 0) {
      synchronized (this) {
        register();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    out.write(MAGIC);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(data, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private byte[] jsonBytes(T data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      PlainJson.write(g, data, wireSchema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length > 1 && data[0] == (byte) 0xC3 && data[1] == 0x01) {
      return AvroSerde.of(type).deserialize(topic, data);
    }
    try {
      if (data.length > 5 && data[0] == MAGIC) {
        return fromRegistry(topic, data);
      }
      if (data.length > 0 && data[0] == '{') {
        return type.cast(PlainJsonReader.read(JSON.readTree(data), jsonReadSchema));
      }
    } catch (IOException | AvroRuntimeException | IllegalArgumentException e) {
      throw new SerializationException(
          "Cannot read a "
              + type.getSimpleName()
              + " from topic "
              + topic
              + " ("
              + formatOf(data)
              + "): "
              + e.getMessage(),
          e);
    }
    throw new SerializationException(
        "Cannot read a "
            + type.getSimpleName()
            + " from topic "
            + topic
            + ": the bytes are neither the Confluent wire format, single-object Avro nor JSON."
            + " Is another producer writing to it?");
  }

  private T fromRegistry(String topic, byte[] data) throws IOException {
    int writerId = ByteBuffer.wrap(data, 1, 4).getInt();
    if (registry == null) {
      throw new SerializationException(
          "Cannot read a "
              + type.getSimpleName()
              + " from topic "
              + topic
              + ": it is in the Confluent wire format (schema id "
              + writerId
              + ") and no schema-registry.url is set");
    }
    SpecificDatumReader<T> reader =
        readers.computeIfAbsent(
            writerId,
            i ->
                new SpecificDatumReader<>(
                    WireSchema.renamedFor(registry.schema(i), readerSchema),
                    readerSchema,
                    AvroSerde.MODEL));
    return reader.read(null, DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
  }

  private static String formatOf(byte[] data) {
    return data[0] == MAGIC ? "Confluent wire format" : "JSON";
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  /** The registry holds a version of the subject that the schema written now cannot follow. */
  public static final class IncompatibleSchemaException extends IllegalStateException {
    IncompatibleSchemaException(String message) {
      super(message);
    }
  }
}
