package io.dirpipe.sink.iceberg;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.avro.AvroSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The columns of {@code <collection>_history}: one row per change event, dirpipe's columns first
 * ({@code tenant_id}, {@code op}, {@code valid_from}, {@code valid_to}, {@code run_id}, {@code
 * mode}, {@code changed_fields}, {@code delete_reason}, where it came from in Kafka), then the
 * entity's own columns as the Avro contract declares them (for a delete: the object as last seen).
 * Timestamps are {@code timestamptz}. Partitioned by tenant and day of {@code valid_from}.
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
    for (Schema.Field f : entity.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    return Schema.createRecord(
        entity.getName() + "History", null, "io.dirpipe.lake", false, fields);
  }

  /** The Iceberg schema of a collection's history table. */
  public static org.apache.iceberg.Schema of(Schema entity) {
    org.apache.iceberg.Schema converted = AvroSchemaUtil.toIceberg(avroRow(entity));
    return new org.apache.iceberg.Schema(withZone(converted.asStruct()).fields());
  }

  /**
   * The columns that name one version: the object, when it was observed (which places it in its
   * partition) and its offset (one key's changes share one partition of the changes topic).
   */
  public static org.apache.iceberg.Schema versionKey(org.apache.iceberg.Schema schema) {
    return schema.select("tenant_id", "id", "valid_from", "kafka_offset");
  }

  /** Tenant, then day of {@code valid_from}. */
  public static PartitionSpec spec(org.apache.iceberg.Schema schema) {
    return PartitionSpec.builderFor(schema).identity("tenant_id").day("valid_from").build();
  }

  /** Every timestamp as timestamptz: dirpipe's times are instants (UTC). */
  private static Types.StructType withZone(Types.StructType struct) {
    List<Types.NestedField> fields = new ArrayList<>();
    for (Types.NestedField f : struct.fields()) {
      fields.add(
          Types.NestedField.of(f.fieldId(), f.isOptional(), f.name(), withZone(f.type()), f.doc()));
    }
    return Types.StructType.of(fields);
  }

  private static Type withZone(Type type) {
    return switch (type.typeId()) {
      case TIMESTAMP -> Types.TimestampType.withZone();
      case STRUCT -> withZone(type.asStructType());
      case LIST -> {
        Types.ListType list = type.asListType();
        Type element = withZone(list.elementType());
        yield list.isElementOptional()
            ? Types.ListType.ofOptional(list.elementId(), element)
            : Types.ListType.ofRequired(list.elementId(), element);
      }
      case MAP -> {
        Types.MapType map = type.asMapType();
        Type value = withZone(map.valueType());
        yield map.isValueOptional()
            ? Types.MapType.ofOptional(map.keyId(), map.valueId(), map.keyType(), value)
            : Types.MapType.ofRequired(map.keyId(), map.valueId(), map.keyType(), value);
      }
      default -> type;
    };
  }
}
