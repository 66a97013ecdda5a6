package io.dirpipe.sink.lake;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * An inventory (objects by key) as one Parquet file: a {@code tenantId} column, then the entity's.
 * Used by the lake's inventory snapshots and by {@code dirpipe replay --format parquet}.
 */
public final class InventoryFiles {
  private InventoryFiles() {}

  public static void write(
      Collection<?> collection, Map<ObjectKey, ? extends SpecificRecord> inventory, Path file)
      throws IOException {
    Schema entity = collection.entitySchema();
    List<Schema.Field> fields = new ArrayList<>();
    fields.add(new Schema.Field("tenantId", Schema.create(Schema.Type.STRING), "Entra tenant id."));
    for (Schema.Field f : entity.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    Schema row =
        Schema.createRecord(
            entity.getName() + "Inventory", entity.getDoc(), entity.getNamespace(), false, fields);
    List<GenericRecord> rows = new ArrayList<>(inventory.size());
    inventory.forEach(
        (key, object) -> {
          GenericData.Record r = new GenericData.Record(row);
          r.put(0, key.getTenantId());
          for (Schema.Field f : entity.getFields()) {
            r.put(f.pos() + 1, object.get(f.pos()));
          }
          rows.add(r);
        });
    ParquetFiles.write(file, row, rows, CompressionCodecName.SNAPPY);
  }
}
