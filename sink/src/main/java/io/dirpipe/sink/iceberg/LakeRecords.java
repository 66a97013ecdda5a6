package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * dirpipe's records read back from the lake's tables: the observations of {@code <collection>_raw}
 * and the run events of {@code runs}, as the extractor published them (what {@code verify --source
 * lake} recomputes a run from, without the topics).
 */
public final class LakeRecords {
  private LakeRecords() {}

  public static void observations(
      Catalog catalog, Collection<?> collection, Consumer<Observation> each) {
    read(
        catalog,
        collection.name() + "_raw",
        row -> {
          Observation o = (Observation) RawSchema.ENVELOPE.read(row);
          org.apache.avro.Schema entity = collection.entitySchema();
          if (entity.getFields().stream().anyMatch(f -> row.getField(f.name()) != null)) {
            o.setPayload(AvroValues.entity(row, entity)); // a removal may carry one too
          }
          each.accept(o);
        });
  }

  public static void runEvents(Catalog catalog, Consumer<RunEvent> each) {
    read(catalog, "runs", row -> each.accept((RunEvent) RunsSchema.EVENT.read(row)));
  }

  /** The live inventory of an object collection: {@code <collection>_current}. */
  public static <E extends org.apache.avro.specific.SpecificRecord>
      java.util.NavigableMap<io.dirpipe.schemas.ObjectKey, E> current(
          Catalog catalog, Collection<E> collection) {
    java.util.NavigableMap<io.dirpipe.schemas.ObjectKey, E> out = new java.util.TreeMap<>();
    read(
        catalog,
        collection.name() + "_current",
        row -> {
          io.dirpipe.schemas.ObjectKey key =
              new io.dirpipe.schemas.ObjectKey(
                  (String) row.getField("tenant_id"), (String) row.getField("id"));
          E previous =
              out.put(
                  key,
                  collection.entityClass().cast(AvroValues.entity(row, collection.entitySchema())));
          if (previous != null) {
            throw new IllegalStateException(
                "The lake's " + collection.name() + "_current holds " + key + " twice");
          }
        });
    return out;
  }

  /** Every row of a table of dirpipe's namespace. */
  static void read(Catalog catalog, String name, Consumer<Record> each) {
    Table table = table(catalog, name);
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(each);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
  }

  /**
   * @throws IllegalArgumentException naming the table when the lake has none of that name
   */
  static Table table(Catalog catalog, String name) {
    TableIdentifier id = TableIdentifier.of(IcebergSink.NAMESPACE, name);
    if (!catalog.tableExists(id)) {
      throw new IllegalArgumentException(
          "The lake has no table "
              + id
              + ": has the lake sink (lake.format iceberg) written it? (lake.datasets and"
              + " sink.collections name what it writes)");
    }
    return catalog.loadTable(id);
  }
}
