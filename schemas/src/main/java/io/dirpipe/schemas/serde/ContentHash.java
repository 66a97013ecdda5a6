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
 * no header), so the extractor and {@code verify} compute the same value from the same record.
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
          .computeIfAbsent(payload.getSchema(), s -> new SpecificDatumWriter<>(s, AvroSerde.MODEL))
          .write(payload, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The content hash of a removal: what was removed is the id, with why. */
  public static byte[] removed(String reason) {
    return RunDigest.hash(("@removed:" + reason).getBytes(StandardCharsets.UTF_8));
  }
}
