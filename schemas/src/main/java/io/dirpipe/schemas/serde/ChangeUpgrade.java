package io.dirpipe.schemas.serde;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.Source;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads a change written before contract v8 ({@code op} an enum of CREATE, UPDATE, DELETE; {@code
 * ts} a timestamp) as today's Debezium envelope, so that {@code changes.<collection>} topics
 * written by an older dirpipe stay readable from their start: a CREATE of a FULL run becomes {@code
 * r}, of a delta run {@code c}, as the transformer writes them now.
 */
final class ChangeUpgrade {
  /** The fields whose types are today's; {@code op} and {@code ts} keep their old types. */
  private static final java.util.Set<String> NESTED =
      java.util.Set.of("before", "after", "source", "deleteReason");

  private ChangeUpgrade() {}

  /** True for a Change schema of a version before the envelope. */
  static boolean isLegacy(Schema writer) {
    return writer.getFullName().equals(Change.getClassSchema().getFullName())
        && writer.getField("ts") != null
        && writer.getField("ts_ms") == null;
  }

  /**
   * Decodes the body ({@code offset} past the single-object header) written with {@code writer}.
   */
  static Change read(byte[] data, int offset, Schema writer) throws IOException {
    SpecificDatumReader<GenericRecord> reader =
        new SpecificDatumReader<>(writer, legacyReader(writer), AvroSerde.MODEL);
    GenericRecord old =
        reader.read(
            null, DecoderFactory.get().binaryDecoder(data, offset, data.length - offset, null));
    Source read = (Source) old.get("source"); // its v8 fields at their defaults: derive them
    Source source =
        Envelope.source(
            read.getTenantId(),
            read.getCollection(),
            read.getRunId(),
            read.getMode(),
            read.getObservedAt());
    Object changed = old.get("changedFields");
    List<String> fields = new ArrayList<>();
    if (changed instanceof List<?> list) {
      list.forEach(f -> fields.add(f.toString()));
    }
    return Envelope.change(
        Operation.valueOf(old.get("op").toString()),
        (SpecificRecord) old.get("before"),
        (SpecificRecord) old.get("after"),
        fields,
        (RemovedReason) old.get("deleteReason"),
        source,
        (Instant) old.get("ts"));
  }

  /**
   * The old change's shape with today's types for what nests (entities, source, reason), under a
   * name of no class: the top record reads generic, what it holds reads as dirpipe's classes.
   */
  private static Schema legacyReader(Schema writer) {
    Schema now = Change.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : writer.getFields()) {
      boolean nested = NESTED.contains(f.name());
      fields.add(new Schema.Field(f, nested ? now.getField(f.name()).schema() : f.schema()));
    }
    Schema reader =
        Schema.createRecord("LegacyChange", null, "io.dirpipe.schemas.upgrade", false, fields);
    reader.addAlias(writer.getFullName());
    return reader;
  }
}
