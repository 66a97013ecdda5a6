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
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : full.getFields()) {
      Schema type = isEntityUnion(f.schema()) ? narrow(f.schema(), entity) : f.schema();
      fields.add(new Schema.Field(f, type));
    }
    Schema narrowed =
        Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
    full.getObjectProps().forEach(narrowed::addProp);
    full.getAliases().forEach(narrowed::addAlias);
    return narrowed;
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
