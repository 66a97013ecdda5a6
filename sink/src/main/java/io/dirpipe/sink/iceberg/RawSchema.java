package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.Observation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionSpec;

/**
 * The columns of {@code <collection>_raw}: one row per observation as the extractor published it,
 * the observation's envelope first ({@code tenant_id}, {@code run_id}, {@code observed_at}, {@code
 * observation_kind}, {@code removed_reason}, ...; the contract's field names in snake case), where
 * it came from in Kafka, then the entity's columns, optional (a removal carries no entity).
 * Partitioned by tenant and day of {@code observed_at}. What {@code verify --source lake}
 * recomputes a run's count and digest from.
 */
public final class RawSchema {
  static final RecordColumns ENVELOPE =
      new RecordColumns(Observation.SCHEMA$, Map.of("kind", "observation_kind"), Set.of("payload"));

  private RawSchema() {}

  static Schema avroRow(Schema entity) {
    List<Schema.Field> fields = ENVELOPE.fields();
    fields.add(AvroColumns.field("kafka_partition", Schema.create(Schema.Type.INT), null));
    fields.add(AvroColumns.field("kafka_offset", Schema.create(Schema.Type.LONG), null));
    AvroColumns.addEntity(fields, entity);
    return Schema.createRecord(entity.getName() + "Raw", null, "io.dirpipe.lake", false, fields);
  }

  public static org.apache.iceberg.Schema of(Schema entity) {
    Set<String> optional = new HashSet<>();
    entity.getFields().forEach(f -> optional.add(f.name()));
    return AvroColumns.toIceberg(avroRow(entity), optional);
  }

  public static PartitionSpec spec(org.apache.iceberg.Schema schema) {
    return PartitionSpec.builderFor(schema).identity("tenant_id").day("observed_at").build();
  }
}
