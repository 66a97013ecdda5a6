package io.dirpipe.schemas.wire;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The schema a topic's records are written with where the reader is not dirpipe: the record's
 * schema with every union of entity records narrowed to null and the topic's own entity. {@code
 * changes.users} carries {@code before}/{@code after} as {@code ["null", User]}, not a union of
 * every entity, so that Flink's {@code debezium-avro-confluent}, Spark's {@code from_avro} and
 * ksqlDB see a nullable User, not a choice of fifteen records. Field order and names are unchanged:
 * a record written with the narrowed schema is read with the full one by Avro's union resolution.
 */
public final class WireSchema {
  private static final String ENTITIES = "io.dirpipe.schemas.entity";

  private WireSchema() {}

  /**
   * @param full the record's schema
   * @param entity the topic's entity record, or null when the topic has none (keys, edges, runs)
   */
  public static Schema of(Schema full, Schema entity) {
    if (entity == null || full.getType() != Schema.Type.RECORD || !hasEntityUnion(full)) {
      return full;
    }
    return copy(full, full.getFullName(), entity);
  }

  /**
   * The schema of {@code changes.<collection>}: the change narrowed to the collection's entity and
   * named {@code io.dirpipe.changes.<collection>.Envelope}, as Debezium names its envelopes, so
   * that Debezium's {@code ExtractNewRecordState} and tools keyed on that suffix know it.
   */
  public static Schema envelope(Schema change, String collection, Schema entity) {
    return copy(change, ENVELOPES + collection + ".Envelope", entity);
  }

  /** The namespace prefix of the envelopes' names. */
  static final String ENVELOPES = "io.dirpipe.changes.";

  /**
   * {@code writer} named as {@code reader} when both are records of other names: a record written
   * under its wire name (an envelope) resolves to dirpipe's own type.
   */
  public static Schema renamedFor(Schema writer, Schema reader) {
    if (writer.getType() != Schema.Type.RECORD
        || reader.getType() != Schema.Type.RECORD
        || writer.getFullName().equals(reader.getFullName())) {
      return writer;
    }
    return copy(writer, reader.getFullName(), null);
  }

  private static Schema copy(Schema full, String fullName, Schema entity) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : full.getFields()) {
      Schema type =
          entity != null && isEntityUnion(f.schema()) ? narrow(f.schema(), entity) : f.schema();
      fields.add(new Schema.Field(f, type));
    }
    int dot = fullName.lastIndexOf('.');
    Schema copy =
        Schema.createRecord(
            fullName.substring(dot + 1),
            full.getDoc(),
            dot < 0 ? null : fullName.substring(0, dot),
            false,
            fields);
    full.getObjectProps().forEach(copy::addProp);
    return copy;
  }

  private static boolean hasEntityUnion(Schema record) {
    return record.getFields().stream().anyMatch(f -> isEntityUnion(f.schema()));
  }

  /** A union holding more than one entity record: a payload that depends on the collection. */
  private static boolean isEntityUnion(Schema s) {
    return s.getType() == Schema.Type.UNION
        && s.getTypes().stream()
                .filter(b -> b.getType() == Schema.Type.RECORD && ENTITIES.equals(b.getNamespace()))
                .count()
            > 1;
  }

  private static Schema narrow(Schema union, Schema entity) {
    List<Schema> kept = new ArrayList<>();
    for (Schema b : union.getTypes()) {
      if (b.getType() == Schema.Type.NULL || b.getFullName().equals(entity.getFullName())) {
        kept.add(b);
      }
    }
    if (kept.stream().noneMatch(b -> b.getType() == Schema.Type.RECORD)) {
      throw new IllegalArgumentException(
          entity.getFullName() + " is not a branch of " + union + ": a collection without a topic");
    }
    return Schema.createUnion(kept);
  }
}
