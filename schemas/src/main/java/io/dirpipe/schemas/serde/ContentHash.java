package io.dirpipe.schemas.serde;

import io.dirpipe.schemas.RunDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The content hash of an observed object: SHA-256 of its Avro binary encoding (the payload alone,
 * no header), so the extractor and {@code verify} compute the same value from the same record.
 */
public final class ContentHash {
  private ContentHash() {}

  public static byte[] of(SpecificRecord payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      @SuppressWarnings("unchecked")
      SpecificDatumWriter<SpecificRecord> writer =
          new SpecificDatumWriter<>(payload.getSchema(), AvroSerde.MODEL);
      writer.write(payload, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RunDigest.hash(out.toByteArray());
  }

  /** The content hash of a removal: what was removed is the id, with why. */
  public static byte[] removed(String reason) {
    return RunDigest.hash(("@removed:" + reason).getBytes(StandardCharsets.UTF_8));
  }
}
