package io.dirpipe.transformer.changes;

import io.dirpipe.schemas.EdgeChange;
import io.dirpipe.schemas.EdgeKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.state.EdgeState;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edges of one edge collection (owners, role members, ...), per partition of its raw topic
 * (keyed by the parent, so a parent's edges share a partition), with the same semantics as group
 * memberships: an edge observed for the first time is ADD, a REMOVED one is REMOVE, and RUN_END of
 * a FULL run removes every edge of that tenant the run did not return (mark and sweep). Each change
 * goes to {@code changes.edges} (to the sink {@code changes}) and the edge, or its tombstone, to
 * {@code inventory.edges} (to the sink {@code inventory}).
 */
final class EdgeChanges implements Processor<ObjectKey, Observation, EdgeKey, Object> {
  private static final Logger log = LoggerFactory.getLogger(EdgeChanges.class);

  private final String storeName;
  private final String changes;
  private final String inventory;
  private final TransformStats.Counters counters;
  private ProcessorContext<EdgeKey, Object> context;
  private KeyValueStore<EdgeKey, EdgeState> store;

  EdgeChanges(
      String storeName, String changes, String inventory, TransformStats.Counters counters) {
    this.storeName = storeName;
    this.changes = changes;
    this.inventory = inventory;
    this.counters = counters;
  }

  @Override
  public void init(ProcessorContext<EdgeKey, Object> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<ObjectKey, Observation> record) {
    counters.input();
    Observation o = record.value();
    if (o == null) {
      return;
    }
    if (o.getKind() == ObservationKind.RUN_END) {
      if (o.getMode() == Mode.FULL || o.getSnapshot()) {
        sweep(o, record.timestamp());
      }
      return;
    }
    if (!(o.getPayload() instanceof Edge e)) {
      log.warn(
          "Skipped {} observation of {} in run {}: no Edge payload (the raw topic keeps it)",
          o.getCollection(),
          o.getObjectId(),
          o.getRunId());
      counters.skipped();
      return;
    }
    EdgeKey key =
        new EdgeKey(o.getTenantId(), e.getKind(), e.getFromId(), e.getToId(), e.getQualifier());
    EdgeState state = store.get(key);
    if (o.getKind() == ObservationKind.OBSERVED) {
      if (state == null) {
        emit(key, MembershipOperation.ADD, e, o, record.timestamp());
      } else if (state.getRunId().equals(o.getRunId())) {
        return;
      }
      store.put(
          key, new EdgeState(o.getRunId(), o.getObservedAt(), e.getToType(), e.getAttributes()));
    } else if (o.getKind() == ObservationKind.REMOVED && state != null) {
      emit(key, MembershipOperation.REMOVE, edge(key, state), o, record.timestamp());
      store.delete(key);
    }
  }

  private void sweep(Observation runEnd, long timestamp) {
    String tenant = runEnd.getTenantId();
    List<KeyValue<EdgeKey, EdgeState>> stale =
        Sweep.stale(
            store,
            k -> k.getTenantId().equals(tenant), // the store holds one edge collection
            EdgeState::getRunId,
            EdgeState::getSeenAt,
            runEnd.getRunId(),
            Sweep.start(runEnd));
    for (KeyValue<EdgeKey, EdgeState> s : stale) {
      emit(s.key, MembershipOperation.REMOVE, edge(s.key, s.value), runEnd, timestamp);
      store.delete(s.key);
    }
    if (!stale.isEmpty()) {
      log.info(
          "Run {} of {}: {} {} edges not seen, removed",
          runEnd.getRunId(),
          tenant,
          stale.size(),
          runEnd.getCollection());
    }
  }

  /** The edge as the store last knew it. */
  private static Edge edge(EdgeKey key, EdgeState state) {
    return new Edge(
        key.getKind(),
        key.getFromId(),
        key.getToId(),
        state.getMemberType(),
        state.getAttributes(),
        key.getQualifier());
  }

  private void emit(
      EdgeKey key, MembershipOperation op, Edge edge, Observation cause, long timestamp) {
    EdgeChange change =
        new EdgeChange(
            op, edge, key.getTenantId(), Sources.of(cause), Instant.ofEpochMilli(timestamp));
    context.forward(new Record<EdgeKey, Object>(key, change, timestamp), changes);
    context.forward(
        new Record<EdgeKey, Object>(key, op == MembershipOperation.ADD ? edge : null, timestamp),
        inventory);
    counters.count(op.name());
  }
}
