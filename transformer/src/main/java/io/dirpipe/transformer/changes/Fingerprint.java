package io.dirpipe.transformer.changes;

import io.dirpipe.schemas.RunDigest;
import io.dirpipe.schemas.serde.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * What counts as the content of an object of one entity type: every field but the volatile ones.
 * Gives the content hash the change detection compares, and the fields two versions differ in.
 */
public final class Fingerprint {
  private final List<Schema.Field> fields = new ArrayList<>();
  private final List<SpecificDatumWriter<Object>> writers = new ArrayList<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2048);
  private BinaryEncoder encoder;

  /**
   * @param volatileFields fields left out; each must exist in {@code schema}
   */
  public Fingerprint(Schema schema, Set<String> volatileFields) {
    for (String f : volatileFields) {
      if (schema.getField(f) == null) {
        throw new IllegalArgumentException(schema.getName() + " has no field '" + f + "'");
      }
    }
    for (Schema.Field f : schema.getFields()) {
      if (!volatileFields.contains(f.name())) {
        fields.add(f);
        writers.add(new SpecificDatumWriter<>(f.schema(), AvroSerde.MODEL));
      }
    }
  }

  /** SHA-256 of the Avro encoding of the non-volatile fields, in schema order. Not thread-safe. */
  public byte[] hash(SpecificRecord object) {
    buffer.reset();
    encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
    try {
      for (int i = 0; i < fields.size(); i++) {
        writers.get(i).write(object.get(fields.get(i).pos()), encoder);
      }
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RunDigest.hash(buffer.toByteArray());
  }

  /** The non-volatile fields whose values differ, in schema order. */
  public List<String> changed(SpecificRecord before, SpecificRecord after) {
    List<String> changed = new ArrayList<>();
    for (Schema.Field f : fields) {
      if (!Objects.equals(before.get(f.pos()), after.get(f.pos()))) {
        changed.add(f.name());
      }
    }
    return changed;
  }

  /** The non-volatile fields that have a value: the changedFields of a CREATE. */
  public List<String> present(SpecificRecord object) {
    List<String> present = new ArrayList<>();
    for (Schema.Field f : fields) {
      if (object.get(f.pos()) != null) {
        present.add(f.name());
      }
    }
    return present;
  }
}
