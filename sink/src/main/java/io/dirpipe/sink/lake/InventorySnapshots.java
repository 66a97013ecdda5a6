package io.dirpipe.sink.lake;

import io.dirpipe.core.TenantIds;
import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.SinkStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code inventory.<collection>} datasets: every interval, the compacted inventory topic read
 * whole ({@code read_committed}, latest value per key) and written as one Parquet file per tenant,
 * {@code inventory.<c>/tenant=<id>/date=<day>/snapshot-<time>.parquet}.
 */
final class InventorySnapshots {
  private static final Logger log = LoggerFactory.getLogger(InventorySnapshots.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final KafkaClients kafka;
  private final Time time;
  private final Topics topics;
  private final List<Collection<?>> collections;
  private final LakeStore store;
  private final long intervalNanos;
  private final SinkStats stats;
  private long nextNanos;

  InventorySnapshots(
      KafkaClients kafka,
      Topics topics,
      List<Collection<?>> collections,
      LakeStore store,
      long intervalMillis,
      SinkStats stats,
      Time time) {
    this.kafka = kafka;
    this.time = time;
    this.nextNanos = time.nanoTime();
    this.topics = topics;
    this.collections = collections;
    this.store = store;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.stats = stats;
  }

  /** Writes the snapshots when the interval has passed since the last (the first at start). */
  void maybeRun() {
    if (time.nanoTime() < nextNanos) {
      return;
    }
    nextNanos = time.nanoTime() + intervalNanos;
    Instant at = time.now();
    for (Collection<?> c : collections) {
      snapshot(c, at);
    }
  }

  private <E extends SpecificRecord> void snapshot(Collection<E> c, Instant at) {
    Map<String, Map<ObjectKey, SpecificRecord>> byTenant = new HashMap<>();
    try {
      TopicReader.readAll(
          kafka,
          topics.inventory(c),
          r -> {
            Map<ObjectKey, SpecificRecord> objects =
                byTenant.computeIfAbsent(
                    r.key().getTenantId(),
                    t -> new TreeMap<>(java.util.Comparator.comparing(ObjectKey::getObjectId)));
            if (r.value() == null) {
              objects.remove(r.key());
            } else {
              objects.put(r.key(), r.value());
            }
          });
    } catch (RuntimeException e) {
      log.warn("No inventory snapshot of {}", c.name(), e);
      return;
    }
    String dataset = topics.inventory(c).name().substring(topics.prefix().length());
    for (var tenant : byTenant.entrySet()) {
      if (!TenantIds.isValid(tenant.getKey())) {
        log.warn(
            "{} holds {} objects under a key that is not a tenant id: not in the snapshot",
            topics.inventory(c).name(),
            tenant.getValue().size());
        continue;
      }
      String path =
          LakeFiles.directory(dataset, tenant.getKey(), at)
              + "/snapshot-"
              + STAMP.format(at)
              + ".parquet";
      try {
        Path tmp = store.scratch().resolve("inventory+" + c.name() + "+" + at.toEpochMilli());
        InventoryFiles.write(c, tenant.getValue(), tmp);
        long size = Files.size(tmp);
        store.publish(tmp, path);
        stats.files.increment();
        stats.rows.add(tenant.getValue().size());
        stats.bytes.add(size);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + path + " to " + store.describe(), e);
      }
    }
  }
}
