package io.dirpipe.schemas.serde;

import io.dirpipe.schemas.RunDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The content hash of an observed object: SHA-256 of its Avro binary encoding (the payload alone,
 * no header), so the extractor and {@code verify} compute the same value from the same record. Map
 * entries are encoded in key order: Avro writes a map as it iterates, and a map read back from a
 * topic need not iterate as the one that was written (an edge's attributes).
 */
public final class ContentHash {
  private static final Map<Schema, SpecificDatumWriter<SpecificRecord>> WRITERS =
      new ConcurrentHashMap<>();
  private static final ThreadLocal<ByteArrayOutputStream> BUFFER =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(2048));

  private ContentHash() {}

  public static byte[] of(SpecificRecord payload) {
    return RunDigest.hash(encode(payload));
  }

  /** The Avro binary encoding of a record (no header): the bytes its content hash is taken of. */
  public static byte[] encode(SpecificRecord payload) {
    ByteArrayOutputStream out = BUFFER.get();
    out.reset();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      WRITERS
          .computeIfAbsent(payload.getSchema(), s -> new CanonicalWriter(s))
          .write(payload, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Avro's writer, with map entries in key order. */
  private static final class CanonicalWriter extends SpecificDatumWriter<SpecificRecord> {
    CanonicalWriter(Schema schema) {
      super(schema, AvroSerde.MODEL);
    }

    @Override
    protected void writeMap(Schema schema, Object datum, org.apache.avro.io.Encoder out)
        throws IOException {
      java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
      ((Map<?, ?>) datum).forEach((k, v) -> sorted.put(k.toString(), v));
      super.writeMap(schema, sorted, out);
    }
  }

  /** The content hash of a removal: what was removed is the id, with why. */
  public static byte[] removed(String reason) {
    return RunDigest.hash(("@removed:" + reason).getBytes(StandardCharsets.UTF_8));
  }
}
