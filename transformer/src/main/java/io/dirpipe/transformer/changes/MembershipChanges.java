package io.dirpipe.transformer.changes;

import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Source;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.state.EdgeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership graph, per partition of the groupMembers raw topic (keyed by group, so a group's
 * edges share a partition): an edge observed for the first time is ADD; an edge Graph reports
 * removed (members@delta) is REMOVE; a REMOVED observation with an empty member id (a group a delta
 * query reports removed) removes every edge of that group, found by a prefix scan of the store;
 * RUN_END of a FULL member listing removes every edge of that tenant the listing did not return
 * (mark and sweep).
 */
final class MembershipChanges
    implements Processor<ObjectKey, Observation, MembershipKey, MembershipChange> {
  private static final Logger log = LoggerFactory.getLogger(MembershipChanges.class);

  private final String storeName;
  private final TransformStats.Counters counters;
  private final Serializer<MembershipKey> prefixes;
  private ProcessorContext<MembershipKey, MembershipChange> context;
  private KeyValueStore<MembershipKey, EdgeState> store;

  MembershipChanges(
      String storeName, Serializer<MembershipKey> keys, TransformStats.Counters counters) {
    this.storeName = storeName;
    this.counters = counters;
    this.prefixes = prefixOf(keys);
  }

  /**
   * Serializes a key whose member id is empty without that last field: the bytes every key of its
   * (tenant, group) starts with. Avro writes strings as a length then the bytes, and the member id
   * is the key's last field, so an empty one is a single zero byte at the end.
   */
  static Serializer<MembershipKey> prefixOf(Serializer<MembershipKey> keys) {
    return (topic, key) -> {
      byte[] whole = keys.serialize(topic, key);
      if (!key.getMemberId().isEmpty() || whole[whole.length - 1] != 0) {
        throw new IllegalArgumentException("a prefix key has an empty member id, its last field");
      }
      return java.util.Arrays.copyOf(whole, whole.length - 1);
    };
  }

  @Override
  public void init(ProcessorContext<MembershipKey, MembershipChange> context) {
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
    if (o.getKind() == io.dirpipe.schemas.ObservationKind.RUN_END) {
      if (o.getMode() == Mode.FULL || o.getSnapshot()) {
        sweep(o, record.timestamp());
      }
      return;
    }
    if (!(o.getPayload() instanceof Member m)) {
      log.warn(
          "Skipped membership observation of group {} in run {}: no Member payload (the raw topic keeps it)",
          o.getObjectId(),
          o.getRunId());
      counters.skipped();
      return;
    }
    MembershipKey key = new MembershipKey(o.getTenantId(), m.getGroupId(), m.getMemberId());
    EdgeState state = store.get(key);
    switch (o.getKind()) {
      case OBSERVED -> {
        if (state == null) {
          emit(key, MembershipOperation.ADD, m.getMemberType(), o, record.timestamp());
        } else if (state.getRunId().equals(o.getRunId())) {
          return;
        }
        store.put(key, new EdgeState(o.getRunId(), o.getObservedAt(), m.getMemberType(), Map.of()));
      }
      case REMOVED -> {
        if (m.getMemberId().isEmpty()) {
          removeGroup(o, record.timestamp());
        } else if (state != null) {
          emit(key, MembershipOperation.REMOVE, state.getMemberType(), o, record.timestamp());
          store.delete(key);
        }
      }
      default -> {}
    }
  }

  /** Removes every edge of the group of {@code removal}: the keys that start with its group. */
  private void removeGroup(Observation removal, long timestamp) {
    MembershipKey prefix = new MembershipKey(removal.getTenantId(), removal.getObjectId(), "");
    List<KeyValue<MembershipKey, EdgeState>> edges = new ArrayList<>();
    try (KeyValueIterator<MembershipKey, EdgeState> it = store.prefixScan(prefix, prefixes)) {
      it.forEachRemaining(edges::add);
    }
    for (KeyValue<MembershipKey, EdgeState> e : edges) {
      emit(e.key, MembershipOperation.REMOVE, e.value.getMemberType(), removal, timestamp);
      store.delete(e.key);
    }
  }

  private void sweep(Observation runEnd, long timestamp) {
    String tenant = runEnd.getTenantId();
    List<KeyValue<MembershipKey, EdgeState>> stale =
        Sweep.stale(
            store,
            k -> k.getTenantId().equals(tenant),
            EdgeState::getRunId,
            EdgeState::getSeenAt,
            runEnd.getRunId(),
            Sweep.start(runEnd));
    for (KeyValue<MembershipKey, EdgeState> e : stale) {
      emit(e.key, MembershipOperation.REMOVE, e.value.getMemberType(), runEnd, timestamp);
      store.delete(e.key);
    }
    if (!stale.isEmpty()) {
      log.info(
          "Run {} of {}: {} membership edges not seen, removed",
          runEnd.getRunId(),
          tenant,
          stale.size());
    }
  }

  private void emit(
      MembershipKey key, MembershipOperation op, String memberType, Observation cause, long ts) {
    Source source = Sources.of(cause);
    context.forward(
        new Record<>(
            key,
            new MembershipChange(
                op,
                key.getTenantId(),
                key.getGroupId(),
                key.getMemberId(),
                memberType,
                source,
                Instant.ofEpochMilli(ts)),
            ts));
    counters.count(op.name());
  }
}
