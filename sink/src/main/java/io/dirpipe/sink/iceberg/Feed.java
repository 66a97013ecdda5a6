package io.dirpipe.sink.iceberg;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.EdgeChange;
import io.dirpipe.schemas.EdgeKey;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Source;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.entity.Member;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** How the records of one topic become rows of its tables: one kind of topic, one feed. */
abstract class Feed<K, V> {
  final Topic<K, V> topic;

  Feed(Topic<K, V> topic) {
    this.topic = topic;
  }

  /** A record as a row of {@code schema} (the columns it has are set). */
  abstract Record row(Schema schema, K key, V value, int partition, long offset);

  /** Whether the record ends what its key names (a delete, a removal). */
  boolean deleted(V value) {
    return false;
  }

  /** The row of a record, or null for a tombstone. */
  final Decoded decode(ConsumerRecord<byte[], byte[]> r, Schema schema) {
    if (r.value() == null) {
      return null;
    }
    K key = topic.keySerde().deserializer().deserialize(r.topic(), r.key());
    V value = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
    return new Decoded(row(schema, key, value, r.partition(), r.offset()), deleted(value));
  }

  record Decoded(Record row, boolean deleted) {}

  /** {@code changes.<collection>}: an object's change event. */
  static Feed<ObjectKey, Change> objectChanges(Topic<ObjectKey, Change> topic) {
    return new Feed<>(topic) {
      @Override
      Record row(Schema schema, ObjectKey key, Change value, int partition, long offset) {
        return HistoryRows.of(schema, key, value, partition, offset);
      }

      @Override
      boolean deleted(Change value) {
        return value.getAfter() == null;
      }
    };
  }

  /** {@code changes.memberships}: a member added ({@code c}) or removed ({@code d}). */
  static Feed<MembershipKey, MembershipChange> memberships(
      Topic<MembershipKey, MembershipChange> topic) {
    return relations(
        topic,
        MembershipChange::getOp,
        MembershipChange::getTenantId,
        MembershipChange::getSource,
        c -> new Member(c.getGroupId(), c.getMemberId(), c.getMemberType()));
  }

  /** {@code changes.edges}: an edge (owner, role member, grant, ...) added or removed. */
  static Feed<EdgeKey, EdgeChange> edges(Topic<EdgeKey, EdgeChange> topic) {
    return relations(
        topic,
        EdgeChange::getOp,
        EdgeChange::getTenantId,
        EdgeChange::getSource,
        EdgeChange::getEdge);
  }

  /** A relation's changes: each one added ({@code c}) or removed ({@code d}). */
  private static <K, V> Feed<K, V> relations(
      Topic<K, V> topic,
      Function<V, MembershipOperation> op,
      Function<V, String> tenant,
      Function<V, Source> source,
      Function<V, IndexedRecord> relation) {
    return new Feed<>(topic) {
      @Override
      Record row(Schema schema, K key, V c, int partition, long offset) {
        String code = op.apply(c) == MembershipOperation.ADD ? "c" : "d";
        return HistoryRows.of(
            schema,
            tenant.apply(c),
            code,
            source.apply(c),
            List.of(),
            null,
            partition,
            offset,
            relation.apply(c));
      }

      @Override
      boolean deleted(V value) {
        return op.apply(value) == MembershipOperation.REMOVE;
      }
    };
  }

  /** {@code raw.<collection>}: an observation, as published. */
  static Feed<ObjectKey, Observation> raw(Topic<ObjectKey, Observation> topic) {
    return new Feed<>(topic) {
      @Override
      Record row(Schema schema, ObjectKey key, Observation o, int partition, long offset) {
        GenericRecord row = GenericRecord.create(schema);
        RawSchema.ENVELOPE.fill(row, o);
        row.setField("kafka_partition", partition);
        row.setField("kafka_offset", offset);
        if (o.getPayload() != null) {
          HistoryRows.entity(row, schema, (IndexedRecord) o.getPayload());
        }
        return row;
      }
    };
  }

  /** {@code runs}: a run event. */
  static Feed<String, RunEvent> runs(Topic<String, RunEvent> topic) {
    return new Feed<>(topic) {
      @Override
      Record row(Schema schema, String key, RunEvent e, int partition, long offset) {
        GenericRecord row = GenericRecord.create(schema);
        RunsSchema.EVENT.fill(row, e);
        row.setField("kafka_partition", partition);
        row.setField("kafka_offset", offset);
        return row;
      }
    };
  }
}
