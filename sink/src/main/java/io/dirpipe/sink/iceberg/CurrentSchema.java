package io.dirpipe.sink.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The columns of {@code <collection>_current}, the live inventory: the history row's columns but
 * the change's ({@code op}, {@code valid_to}, {@code changed_fields}, {@code delete_reason}), one
 * row per (tenant, object) kept by upserts and removed by deletes. Its identifier fields are {@code
 * tenant_id} and {@code id} (a membership's or edge's ends for theirs), so engines that upsert
 * (Flink, Spark MERGE) know the key.
 */
public final class CurrentSchema {
  static final Set<String> CHANGE_ONLY =
      Set.of("op", "valid_to", "changed_fields", "delete_reason");

  private CurrentSchema() {}

  /**
   * The current table's schema derived from the history table's (same column ids), keyed by the
   * {@code identity} columns.
   */
  public static Schema of(Schema history, List<String> identity) {
    List<Types.NestedField> fields = new ArrayList<>();
    for (Types.NestedField f : history.columns()) {
      if (!CHANGE_ONLY.contains(f.name())) {
        fields.add(f);
      }
    }
    Schema schema = new Schema(fields);
    Set<Integer> ids = new java.util.HashSet<>();
    identity.forEach(name -> ids.add(schema.findField(name).fieldId()));
    return new Schema(fields, ids);
  }

  /** By tenant. */
  public static PartitionSpec spec(Schema schema) {
    return PartitionSpec.builderFor(schema).identity("tenant_id").build();
  }
}
