package io.dirpipe.extractor.publish;

import io.dirpipe.core.kafka.BrokerUnavailable;
import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.CheckpointKey;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The transactional producer of one (tenant, collection). Its transactional.id is derived from the
 * pair, so a second extractor of the same pair fences this one (a zombie cannot commit). Each
 * {@link #commit} is one transaction: a page's observations, its checkpoint and, at the end of a
 * run, the RUN_END markers and the run event, all or nothing. On brokers without transactions
 * ({@code delivery.guarantee=at-least-once}) it is an idempotent producer that writes a batch's
 * content, waits for its acknowledgements, then writes the checkpoint.
 */
public final class Publisher implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final Topics topics;

  /** What one transaction holds. */
  public record Batch(
      List<Serialized> records,
      Checkpoint checkpoint,
      List<Marker> markers,
      List<RunEvent> events) {}

  /** An observation already serialized for its raw topic (done off the committing thread). */
  public record Serialized(String topic, byte[] key, byte[] value) {}

  /** A RUN_END marker for every partition of a raw topic. */
  public record Marker(Topic<ObjectKey, Observation> raw, Observation runEnd) {}

  private final KafkaClients kafka;
  private final boolean transactional;
  private boolean unusable;

  public Publisher(KafkaClients kafka, String transactionalId, Topics topics) {
    this.transactional = kafka.transactions();
    ClientSettings base = ClientSettings.of(transactionalId);
    if (transactional) {
      base =
          base.require(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId)
              .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    } else {
      // a broker that refuses idempotent producers takes kafka.enable.idempotence=false: retried
      // sends may then be written twice too, exact copies that verify names like the others
      base = base.withDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }
    ClientSettings settings =
        base.require(ProducerConfig.ACKS_CONFIG, "all")
            .withDefault(ProducerConfig.LINGER_MS_CONFIG, 5)
            .withDefault(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)
            .withDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    this.kafka = kafka;
    this.producer = kafka.producer(settings, new ByteArraySerializer(), new ByteArraySerializer());
    this.topics = topics;
    if (!transactional) {
      return;
    }
    try {
      producer.initTransactions();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      producer.close(Duration.ZERO);
      throw BrokerUnavailable.of(kafka, "Starting the transactions of " + transactionalId, e);
    }
  }

  /**
   * Sends a batch in one transaction; on failure the transaction is aborted and the exception
   * thrown.
   */
  public void commit(Batch batch) {
    if (!transactional) {
      commitAtLeastOnce(batch);
      return;
    }
    try {
      producer.beginTransaction();
      sendContent(batch);
      sendCheckpoint(batch);
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      throw new IllegalStateException(
          "Another extractor took over "
              + owner(batch)
              + " (its transactional.id fenced this one); stopping.",
          e);
    } catch (RuntimeException e) {
      if (BrokerUnavailable.isTimeout(e)) {
        // no abort: it would wait as long again; the open transaction is aborted by the broker
        // (transaction.timeout.ms) or by the next start's initTransactions, so nothing of it shows
        unusable = true;
        throw BrokerUnavailable.of(kafka, "Committing " + owner(batch), e);
      }
      try {
        producer.abortTransaction();
      } catch (RuntimeException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  /**
   * Without transactions (delivery.guarantee=at-least-once): the page's records, markers and run
   * events are sent and acknowledged (idempotent producer, acks=all) before its checkpoint is, so a
   * checkpoint never covers a record that is not written. A process killed between the two leaves
   * records the next start writes again from that checkpoint: the duplicates {@code dirpipe verify}
   * names.
   */
  private void commitAtLeastOnce(Batch batch) {
    try {
      List<java.util.concurrent.Future<?>> acks = sendContent(batch);
      producer.flush();
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get();
      }
      io.dirpipe.core.Failpoints.reach("extract.records-acknowledged");
      java.util.concurrent.Future<?> checkpoint = sendCheckpoint(batch);
      producer.flush();
      if (checkpoint != null) {
        checkpoint.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while committing " + owner(batch), e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (BrokerUnavailable.isTimeout(cause)) {
        unusable = true;
        throw BrokerUnavailable.of(kafka, "Committing " + owner(batch), cause);
      }
      throw new IllegalStateException(
          "Writing a page of " + owner(batch) + " failed: " + cause.getMessage(), cause);
    }
  }

  /** The batch's records, RUN_END markers and run events; their acknowledgements. */
  private List<java.util.concurrent.Future<?>> sendContent(Batch batch) {
    List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
    for (Serialized r : batch.records()) {
      acks.add(producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value())));
    }
    for (Marker m : batch.markers()) {
      int partitions = producer.partitionsFor(m.raw().name()).size();
      byte[] value = m.raw().valueSerde().serializer().serialize(m.raw().name(), m.runEnd());
      byte[] key =
          m.raw()
              .keySerde()
              .serializer()
              .serialize(m.raw().name(), new ObjectKey(m.runEnd().getTenantId(), ""));
      for (int p = 0; p < partitions; p++) {
        acks.add(producer.send(new ProducerRecord<>(m.raw().name(), p, key, value)));
      }
    }
    Topic<String, RunEvent> runs = topics.runs();
    for (RunEvent event : batch.events()) {
      acks.add(
          producer.send(
              new ProducerRecord<>(
                  runs.name(),
                  runs.keySerde().serializer().serialize(runs.name(), event.getRunId()),
                  runs.valueSerde().serializer().serialize(runs.name(), event))));
    }
    return acks;
  }

  /** The batch's checkpoint, if any (a FAILED run keeps its committed checkpoint). */
  private java.util.concurrent.Future<?> sendCheckpoint(Batch batch) {
    Topic<CheckpointKey, Checkpoint> cps = topics.checkpoints();
    Checkpoint cp = batch.checkpoint();
    if (cp == null) {
      return null;
    }
    return producer.send(
        new ProducerRecord<>(
            cps.name(),
            cps.keySerde()
                .serializer()
                .serialize(cps.name(), new CheckpointKey(cp.getTenantId(), cp.getCollection())),
            cps.valueSerde().serializer().serialize(cps.name(), cp)));
  }

  /** tenant/collection of a batch, for messages. */
  private static String owner(Batch batch) {
    if (batch.checkpoint() != null) {
      return batch.checkpoint().getTenantId() + "/" + batch.checkpoint().getCollection();
    }
    return batch.events().isEmpty()
        ? "this run"
        : batch.events().get(0).getTenantId() + "/" + batch.events().get(0).getCollection();
  }

  /**
   * Closes the producer: after a commit (nothing is pending) it waits at most the broker timeout;
   * after the brokers stopped answering it does not wait at all.
   */
  @Override
  public void close() {
    producer.close(unusable ? Duration.ZERO : kafka.timeout());
  }
}
