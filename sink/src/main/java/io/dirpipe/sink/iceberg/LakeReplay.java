package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The inventory of a collection at a time T from its history table: every version valid at T
 * ({@code valid_from <= T < valid_to}, open versions included) that is not a delete. Time travel by
 * the versions' validity, not by snapshot: the answer does not depend on when the lake was written,
 * and holds after the topics' retention dropped the events.
 */
public final class LakeReplay {
  private LakeReplay() {}

  public static <E extends SpecificRecord> NavigableMap<ObjectKey, E> at(
      Catalog catalog, Collection<E> collection, Instant at) {
    NavigableMap<ObjectKey, E> inventory = new TreeMap<>();
    versionsAt(
        catalog,
        collection.name() + "_history",
        at,
        Expressions.alwaysTrue(),
        r ->
            inventory.put(
                new ObjectKey((String) r.getField("tenant_id"), (String) r.getField("id")),
                collection.entityClass().cast(entity(r, collection.entitySchema()))));
    return inventory;
  }

  /**
   * The edges that held at T from {@code edges_history}: of one kind (an edge collection), or of
   * every kind when {@code kind} is null; by tenant, kind, from, to, qualifier.
   */
  public static NavigableMap<io.dirpipe.schemas.EdgeKey, io.dirpipe.schemas.entity.Edge> edgesAt(
      Catalog catalog, String kind, Instant at) {
    NavigableMap<io.dirpipe.schemas.EdgeKey, io.dirpipe.schemas.entity.Edge> edges =
        new TreeMap<>(
            java.util.Comparator.comparing(io.dirpipe.schemas.EdgeKey::getTenantId)
                .thenComparing(io.dirpipe.schemas.EdgeKey::getKind)
                .thenComparing(io.dirpipe.schemas.EdgeKey::getFromId)
                .thenComparing(io.dirpipe.schemas.EdgeKey::getToId)
                .thenComparing(io.dirpipe.schemas.EdgeKey::getQualifier));
    versionsAt(
        catalog,
        "edges_history",
        at,
        kind == null ? Expressions.alwaysTrue() : Expressions.equal("kind", kind),
        r -> {
          io.dirpipe.schemas.entity.Edge e =
              (io.dirpipe.schemas.entity.Edge)
                  AvroValues.entity(r, io.dirpipe.schemas.entity.Edge.getClassSchema());
          edges.put(
              new io.dirpipe.schemas.EdgeKey(
                  (String) r.getField("tenant_id"),
                  e.getKind(),
                  e.getFromId(),
                  e.getToId(),
                  e.getQualifier()),
              e);
        });
    return edges;
  }

  /** Every version of a history table valid at T that is not a delete, matching {@code where}. */
  private static void versionsAt(
      Catalog catalog,
      String history,
      Instant at,
      org.apache.iceberg.expressions.Expression where,
      java.util.function.Consumer<Record> each) {
    Table table = LakeRecords.table(catalog, history);
    long micros = at.toEpochMilli() * 1000 + at.getNano() / 1000 % 1000;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table)
            .where(Expressions.and(Expressions.lessThanOrEqual("valid_from", micros), where))
            .build()) {
      for (Record r : rows) {
        if (validAt(r, at) && !"d".equals(r.getField("op"))) {
          each.accept(r);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
  }

  private static boolean validAt(Record r, Instant at) {
    Instant from = ((OffsetDateTime) r.getField("valid_from")).toInstant();
    Object to = r.getField("valid_to");
    return !from.isAfter(at) && (to == null || ((OffsetDateTime) to).toInstant().isAfter(at));
  }

  /** The entity's columns of a row as dirpipe's record. */
  static Object entity(Record row, Schema schema) {
    return AvroValues.entity(row, schema);
  }
}
