package io.dirpipe.transformer.changes;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.RemovedReason;
import io.dirpipe.schemas.Source;
import io.dirpipe.schemas.state.ObjectState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change rules of one object collection, per partition of its raw topic: observations in,
 * change events and inventory updates out.
 *
 * <ul>
 *   <li>OBSERVED, unknown key: CREATE (changedFields: every field with a value);
 *   <li>OBSERVED, new content hash: UPDATE with the fields that differ; same hash: nothing;
 *   <li>REMOVED, known key: DELETE with Graph's reason, tombstone in the inventory;
 *   <li>RUN_END of a run that read the whole collection (FULL, or a delta query's initial round:
 *       {@code snapshot}): DELETE (reason MISSING) for every object of that tenant the run did not
 *       observe (mark and sweep).
 * </ul>
 *
 * Volatile fields are outside the hash and changedFields ({@link Fingerprint}). Two stores: what
 * was last seen of each object (hash, run, time: written by every observation, small) and the
 * object as last changed (written only by a change: the {@code before} of the next one).
 */
final class ObjectChanges implements Processor<ObjectKey, Observation, ObjectKey, Object> {
  private static final Logger log = LoggerFactory.getLogger(ObjectChanges.class);

  private final String seenStoreName;
  private final String objectStoreName;
  private final String changesSink;
  private final String inventorySink;
  private final Fingerprint fingerprint;
  private final Class<? extends SpecificRecord> entityClass;
  private final TransformStats.Counters counters;
  private ProcessorContext<ObjectKey, Object> context;
  private KeyValueStore<ObjectKey, ObjectState> seen;
  private KeyValueStore<ObjectKey, SpecificRecord> objects;

  ObjectChanges(
      String seenStoreName,
      String objectStoreName,
      String changesSink,
      String inventorySink,
      Fingerprint fingerprint,
      Class<? extends SpecificRecord> entityClass,
      TransformStats.Counters counters) {
    this.seenStoreName = seenStoreName;
    this.objectStoreName = objectStoreName;
    this.changesSink = changesSink;
    this.inventorySink = inventorySink;
    this.fingerprint = fingerprint;
    this.entityClass = entityClass;
    this.counters = counters;
  }

  @Override
  public void init(ProcessorContext<ObjectKey, Object> context) {
    this.context = context;
    this.seen = context.getStateStore(seenStoreName);
    this.objects = context.getStateStore(objectStoreName);
  }

  @Override
  public void process(Record<ObjectKey, Observation> record) {
    counters.input();
    Observation o = record.value();
    if (o == null || record.key() == null) {
      return; // nothing the extractor writes
    }
    switch (o.getKind()) {
      case OBSERVED -> observed(record, o);
      case REMOVED -> removed(record.key(), o, o.getRemovedReason(), record.timestamp());
      case RUN_END -> {
        if (o.getMode() == Mode.FULL || o.getSnapshot()) {
          sweep(o, record.timestamp());
        }
      }
    }
  }

  private void observed(Record<ObjectKey, Observation> record, Observation o) {
    if (!entityClass.isInstance(o.getPayload())) {
      log.warn(
          "Skipped observation of {} in run {}: payload is {}, expected {} (the raw topic keeps it)",
          o.getObjectId(),
          o.getRunId(),
          o.getPayload() == null ? "null" : o.getPayload().getClass().getSimpleName(),
          entityClass.getSimpleName());
      counters.skipped();
      return;
    }
    SpecificRecord after = (SpecificRecord) o.getPayload();
    ByteBuffer hash = ByteBuffer.wrap(fingerprint.hash(after));
    ObjectState state = seen.get(record.key());
    if (state == null) {
      emit(
          record.key(),
          Operation.CREATE,
          null,
          after,
          fingerprint.present(after),
          null,
          o,
          record.timestamp());
      objects.put(record.key(), after);
    } else if (!state.getHash().equals(hash)) {
      SpecificRecord before = objects.get(record.key());
      objects.put(record.key(), after);
      emit(
          record.key(),
          Operation.UPDATE,
          before,
          after,
          fingerprint.changed(before, after),
          null,
          o,
          record.timestamp());
    } else if (state.getRunId().equals(o.getRunId())) {
      return; // the same page again: nothing to record
    }
    seen.put(record.key(), new ObjectState(hash, o.getRunId(), o.getObservedAt()));
  }

  private void removed(ObjectKey key, Observation cause, RemovedReason reason, long timestamp) {
    SpecificRecord before = objects.get(key);
    if (before == null) {
      return; // never seen, or already deleted
    }
    emit(key, Operation.DELETE, before, null, List.of(), reason, cause, timestamp);
    seen.delete(key);
    objects.delete(key);
  }

  private void sweep(Observation runEnd, long timestamp) {
    String tenant = runEnd.getTenantId();
    List<KeyValue<ObjectKey, ObjectState>> stale =
        Sweep.stale(
            seen,
            k -> k.getTenantId().equals(tenant),
            ObjectState::getRunId,
            ObjectState::getSeenAt,
            runEnd.getRunId(),
            Sweep.start(runEnd));
    for (KeyValue<ObjectKey, ObjectState> e : stale) {
      removed(e.key, runEnd, RemovedReason.MISSING, timestamp);
    }
    if (!stale.isEmpty()) {
      log.info(
          "Run {} of {} {}: {} objects not seen, deleted",
          runEnd.getRunId(),
          tenant,
          runEnd.getCollection(),
          stale.size());
    }
  }

  private void emit(
      ObjectKey key,
      Operation op,
      SpecificRecord before,
      SpecificRecord after,
      List<String> changedFields,
      RemovedReason reason,
      Observation cause,
      long timestamp) {
    Source source = Sources.of(cause);
    Change change =
        Envelope.change(
            op, before, after, changedFields, reason, source, Instant.ofEpochMilli(timestamp));
    context.forward(new Record<>(key, (Object) change, timestamp), changesSink);
    context.forward(new Record<>(key, (Object) after, timestamp), inventorySink);
    counters.count(op.name());
  }
}
