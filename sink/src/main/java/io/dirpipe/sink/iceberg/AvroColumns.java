package io.dirpipe.sink.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.iceberg.avro.AvroSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Avro row shapes as Iceberg schemas: Iceberg's converter assigns the column ids, every timestamp
 * becomes {@code timestamptz} (dirpipe's times are instants, UTC), and the columns named optional
 * become optional (an entity's columns in a row that may carry no entity).
 */
final class AvroColumns {
  private AvroColumns() {}

  static org.apache.iceberg.Schema toIceberg(Schema row, Set<String> optional) {
    Types.StructType struct = withZone(AvroSchemaUtil.toIceberg(row).asStruct());
    List<Types.NestedField> fields = new ArrayList<>();
    for (Types.NestedField f : struct.fields()) {
      fields.add(optional.contains(f.name()) ? f.asOptional() : f);
    }
    return new org.apache.iceberg.Schema(fields);
  }

  /**
   * The entity's fields after dirpipe's own columns, refusing a name both use (a query could not
   * tell them apart).
   */
  static void addEntity(List<Schema.Field> fields, Schema entity) {
    for (Schema.Field f : entity.getFields()) {
      if (fields.stream().anyMatch(g -> g.name().equalsIgnoreCase(f.name()))) {
        throw new IllegalStateException(
            entity.getFullName() + "." + f.name() + " collides with a lake column of that name");
      }
      fields.add(new Schema.Field(f, f.schema()));
    }
  }

  /** {@code observedAt} as {@code observed_at}: dirpipe's own columns in SQL's usual case. */
  static String snake(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  static Schema.Field field(String name, Schema schema, String doc) {
    return new Schema.Field(name, schema, doc);
  }

  static Schema.Field optionalField(String name, Schema schema, String doc) {
    return new Schema.Field(
        name,
        Schema.createUnion(Schema.create(Schema.Type.NULL), schema),
        doc,
        Schema.Field.NULL_DEFAULT_VALUE);
  }

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
