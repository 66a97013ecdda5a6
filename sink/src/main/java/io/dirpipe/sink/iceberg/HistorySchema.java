package io.dirpipe.sink.iceberg;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionSpec;

/**
 * The columns of {@code <collection>_history}: one row per change event, dirpipe's columns first
 * ({@code tenant_id}, {@code op}, {@code valid_from}, {@code valid_to}, {@code run_id}, {@code
 * mode}, {@code changed_fields}, {@code delete_reason}, where it came from in Kafka), then the
 * entity's own columns as the Avro contract declares them (for a delete: the object as last seen).
 * Timestamps are {@code timestamptz}. Partitioned by tenant and day of {@code valid_from}. The same
 * shape serves memberships (a {@code Member}'s columns) and edges (an {@code Edge}'s).
 */
public final class HistorySchema {
  private HistorySchema() {}

  /** The Avro shape of a history row; Iceberg's converter assigns the column ids. */
  static Schema avroRow(Schema entity) {
    List<Schema.Field> fields = new ArrayList<>();
    Schema string = Schema.create(Schema.Type.STRING);
    Schema time = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    fields.add(new Schema.Field("tenant_id", string, "Entra tenant id."));
    fields.add(new Schema.Field("op", string, "Debezium's op code: r, c, u or d."));
    fields.add(new Schema.Field("valid_from", time, "When this version was observed."));
    fields.add(
        new Schema.Field(
            "valid_to",
            Schema.createUnion(Schema.create(Schema.Type.NULL), time),
            "When the next change of the object was observed; null while it holds.",
            Schema.Field.NULL_DEFAULT_VALUE));
    fields.add(new Schema.Field("run_id", string, "The run whose observation made the change."));
    fields.add(new Schema.Field("mode", string, "FULL or DELTA."));
    fields.add(
        new Schema.Field(
            "changed_fields", Schema.createArray(string), "Fields whose value changed."));
    fields.add(
        new Schema.Field(
            "delete_reason",
            Schema.createUnion(Schema.create(Schema.Type.NULL), string),
            "DELETED or MISSING (d only).",
            Schema.Field.NULL_DEFAULT_VALUE));
    fields.add(new Schema.Field("kafka_partition", Schema.create(Schema.Type.INT), null));
    fields.add(new Schema.Field("kafka_offset", Schema.create(Schema.Type.LONG), null));
    AvroColumns.addEntity(fields, entity);
    return Schema.createRecord(
        entity.getName() + "History", null, "io.dirpipe.lake", false, fields);
  }

  /** The Iceberg schema of a history table whose rows carry this entity. */
  public static org.apache.iceberg.Schema of(Schema entity) {
    return AvroColumns.toIceberg(avroRow(entity), java.util.Set.of());
  }

  /**
   * The columns that name one version: the row's identity, when it was observed (which places it in
   * its partition) and its offset (one key's changes share one partition of their topic).
   */
  public static org.apache.iceberg.Schema versionKey(
      org.apache.iceberg.Schema schema, List<String> identity) {
    List<String> names = new ArrayList<>(identity);
    names.add("valid_from");
    names.add("kafka_offset");
    return schema.select(names);
  }

  /** Tenant, then day of {@code valid_from}. */
  public static PartitionSpec spec(org.apache.iceberg.Schema schema) {
    return PartitionSpec.builderFor(schema).identity("tenant_id").day("valid_from").build();
  }
}
