package io.dirpipe.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of one Avro record type in single-object encoding. Reads records written with the current
 * schema or any schema in the {@link SchemaHistory}, resolved to the current one by Avro's rules. A
 * null value stays null both ways (a tombstone). Thread-safe; one instance per type ({@link #of}).
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private static final Map<Class<?>, AvroSerde<?>> INSTANCES = new ConcurrentHashMap<>();

  /**
   * One model for every type: a generated class registers only the logical-type conversions of its
   * own fields, so a record nesting another one with timestamps (ServicePrincipal's credentials)
   * needs them all.
   */
  /** The data model of every dirpipe record: timestamps as Instant, arrays as plain lists. */
  public static final SpecificData MODEL = new PlainListData();

  static {
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final SchemaStore store;

  private AvroSerde(Class<T> type) {
    this(type, SchemaHistory.committed());
  }

  AvroSerde(Class<T> type, SchemaHistory history) {
    this.type = type;
    Schema schema = MODEL.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(MODEL, schema);
    this.store = history.store();
    this.decoder = new BinaryMessageDecoder<>(MODEL, schema, store);
  }

  /** The serde of that record class. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return (AvroSerde<T>) INSTANCES.computeIfAbsent(type, t -> new AvroSerde<>(type));
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      encoder.encode(data, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (AvroRuntimeException | ClassCastException | NullPointerException e) {
      throw new SerializationException(
          "Cannot write a " + type.getSimpleName() + " to topic " + topic + ": " + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      if (type == io.dirpipe.schemas.Change.class && data.length >= 10) {
        Schema writer = store.findByFingerprint(fingerprintValue(data));
        if (writer != null && ChangeUpgrade.isLegacy(writer)) {
          return type.cast(ChangeUpgrade.read(data, 10, writer));
        }
      }
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw new SerializationException(
          "Cannot read a "
              + type.getSimpleName()
              + " from topic "
              + topic
              + ": it was written with a schema (fingerprint "
              + fingerprintOf(data)
              + ") this dirpipe does not know. Upgrade dirpipe to the version that wrote it.",
          e);
    } catch (BadHeaderException e) {
      throw new SerializationException(
          "Cannot read a "
              + type.getSimpleName()
              + " from topic "
              + topic
              + ": the bytes are not Avro single-object encoded. Is another producer writing to it?",
          e);
    } catch (IOException | AvroRuntimeException e) {
      throw new SerializationException(
          "Cannot read a " + type.getSimpleName() + " from topic " + topic + ": corrupt record", e);
    }
  }

  /** The record class this serde reads and writes. */
  public Class<T> type() {
    return type;
  }

  /** The fingerprint of the schema this serde writes with, as written in each message. */
  public long fingerprint() {
    return SchemaNormalization.parsingFingerprint64(MODEL.getSchema(type));
  }

  private static String fingerprintOf(byte[] data) {
    return data.length < 10 ? "unreadable" : String.format("%016x", fingerprintValue(data));
  }

  /** The writer's fingerprint in a single-object header (little-endian, bytes 2 to 9). */
  private static long fingerprintValue(byte[] data) {
    long fp = 0;
    for (int i = 9; i >= 2; i--) {
      fp = (fp << 8) | (data[i] & 0xffL);
    }
    return fp;
  }

  /**
   * Reads arrays into plain lists. Avro's own array type compares its elements with a model that
   * lacks the timestamp conversion, so two equal records holding credentials would throw in {@code
   * equals}.
   */
  private static final class PlainListData extends SpecificData {
    PlainListData() {
      super(AvroSerde.class.getClassLoader());
    }

    @Override
    public Object newArray(Object old, int size, Schema schema) {
      if (old instanceof ArrayList<?> list) {
        list.clear();
        return list;
      }
      return new ArrayList<>(size);
    }
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
}
