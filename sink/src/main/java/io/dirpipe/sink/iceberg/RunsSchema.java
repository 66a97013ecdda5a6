package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.RunEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionSpec;

/**
 * The columns of {@code runs}: one row per run event (STARTED, COMPLETED, FAILED, ...), the
 * contract's fields in snake case ({@code run_id}, {@code records}, {@code digest}, ...), then
 * where it came from in Kafka. Partitioned by tenant and day of {@code at}. With the raw tables,
 * what a run is verified against from the lake alone.
 */
public final class RunsSchema {
  static final RecordColumns EVENT = new RecordColumns(RunEvent.SCHEMA$, Map.of(), Set.of());

  private RunsSchema() {}

  public static org.apache.iceberg.Schema of() {
    List<Schema.Field> fields = EVENT.fields();
    fields.add(AvroColumns.field("kafka_partition", Schema.create(Schema.Type.INT), null));
    fields.add(AvroColumns.field("kafka_offset", Schema.create(Schema.Type.LONG), null));
    return AvroColumns.toIceberg(
        Schema.createRecord("RunRow", null, "io.dirpipe.lake", false, fields), Set.of());
  }

  public static PartitionSpec spec(org.apache.iceberg.Schema schema) {
    return PartitionSpec.builderFor(schema).identity("tenant_id").day("at").build();
  }
}
