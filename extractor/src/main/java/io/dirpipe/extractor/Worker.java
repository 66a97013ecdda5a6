package io.dirpipe.extractor;

import io.dirpipe.core.TenantIds;
import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ExtractionTask;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-out: extractors join one consumer group on the {@code tasks} topic, keyed by tenant, so
 * each tenant's tasks go to one worker at a time, which owns that tenant's resource-unit bucket (no
 * distributed coordination). A task's offset is committed after its runs end; a worker that dies or
 * loses the partition leaves the task to the next owner, which resumes the runs from their
 * checkpoints.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  public static final String DEFAULT_GROUP = "dirpipe-extract-workers";

  private final Function<String, Extractor> extractorOfTenant;
  private final Topic<String, ExtractionTask> tasks;
  private final Consumer<String, ExtractionTask> consumer;
  private final KafkaClients kafka;
  private final Topic<byte[], byte[]> deadTasks;
  private final Map<String, Extractor> extractors = new HashMap<>();
  private final java.util.function.Consumer<List<RunSummary>> onDone;

  /**
   * @param extractorOfTenant the extractor of a tenant id (its configuration and credential)
   * @param onDone receives the summaries of each task
   */
  public Worker(
      Function<String, Extractor> extractorOfTenant,
      KafkaClients kafka,
      Topics topics,
      String groupId,
      java.util.function.Consumer<List<RunSummary>> onDone) {
    this.extractorOfTenant = extractorOfTenant;
    this.tasks = topics.tasks();
    this.deadTasks = topics.deadLetters("tasks");
    this.kafka = kafka;
    this.onDone = onDone;
    TopicSetup.ensure(kafka, List.of(tasks, deadTasks), topics.layout());
    ClientSettings settings =
        ClientSettings.of("extract-worker")
            .require(ConsumerConfig.GROUP_ID_CONFIG, groupId)
            .require(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
            .require(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .require(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1)
            // a task is a whole extraction
            .withDefault(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofHours(2).toMillis());
    this.consumer =
        kafka.consumer(
            settings, tasks.keySerde().deserializer(), tasks.valueSerde().deserializer());
  }

  private volatile boolean polling;

  /** True once the worker has joined its group and polled for tasks. */
  public boolean polling() {
    return polling;
  }

  /** Consumes tasks until {@link #close} is called from another thread. */
  public void run() throws InterruptedException {
    consumer.subscribe(
        List.of(tasks.name()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
            log.info("Worker owns task partitions {}", partitions);
          }

          @Override
          public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
            log.info("Worker gives up task partitions {}", partitions);
          }
        });
    try {
      while (true) {
        var polled = consumer.poll(Duration.ofSeconds(1));
        polling = true;
        for (ConsumerRecord<String, ExtractionTask> r : polled) {
          onDone.accept(handle(r));
          consumer.commitSync(
              Map.of(
                  new TopicPartition(r.topic(), r.partition()),
                  new OffsetAndMetadata(r.offset() + 1)));
        }
      }
    } catch (WakeupException stop) {
      // close() was called
    } finally {
      consumer.close();
    }
  }

  private List<RunSummary> handle(ConsumerRecord<String, ExtractionTask> record)
      throws InterruptedException {
    ExtractionTask task = record.value();
    if (task == null) {
      return List.of();
    }
    Extractor extractor;
    try {
      extractor = extractors.computeIfAbsent(task.getTenantId(), extractorOfTenant);
    } catch (RuntimeException e) {
      String tenant =
          TenantIds.isValid(task.getTenantId()) ? task.getTenantId() : "(not a tenant id)";
      log.error(
          "Task for tenant {} cannot run here; it goes to {} and the worker goes on",
          tenant,
          deadTasks.name(),
          e);
      deadLetter(record, e);
      return Collections.emptyList();
    }
    List<Collection<?>> collections =
        task.getCollections().isEmpty()
            ? null
            : task.getCollections().stream().<Collection<?>>map(Collection::of).toList();
    log.info(
        "Task: tenant {} {} {}",
        task.getTenantId(),
        task.getMode(),
        collections == null ? "(configured collections)" : collections);
    return collections == null
        ? extractor.runOnce()
        : extractor.runOnce(collections, task.getMode() == Mode.DELTA);
  }

  /** Publishes a task for the workers. */
  public static void submit(KafkaClients kafka, Topics topics, ExtractionTask task) {
    Topic<String, ExtractionTask> t = topics.tasks();
    TopicSetup.ensure(kafka, List.of(t), topics.layout());
    ClientSettings settings = ClientSettings.of("task").require(ProducerConfig.ACKS_CONFIG, "all");
    try (Producer<String, ExtractionTask> p =
        kafka.producer(settings, t.keySerde().serializer(), t.valueSerde().serializer())) {
      p.send(new ProducerRecord<>(t.name(), task.getTenantId(), task));
    }
  }

  /** Stops {@link #run} (thread-safe). */
  @Override
  public void close() {
    consumer.wakeup();
  }

  /**
   * Puts a task no worker can run (its tenant is not configured) in the dead-letter topic, with the
   * reason, before its offset is committed: it is never silently dropped.
   */
  private void deadLetter(ConsumerRecord<String, ExtractionTask> record, RuntimeException why) {
    ClientSettings settings =
        ClientSettings.of("dlq-tasks")
            .require(ProducerConfig.ACKS_CONFIG, "all")
            .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    RecordHeaders headers = new RecordHeaders();
    headers.add("dirpipe.error", String.valueOf(why.getMessage()).getBytes(StandardCharsets.UTF_8));
    headers.add("dirpipe.source.topic", record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(
        "dirpipe.source.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    try (Producer<byte[], byte[]> p =
        kafka.producer(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  deadTasks.name(),
                  null,
                  tasks.keySerde().serializer().serialize(tasks.name(), record.key()),
                  tasks.valueSerde().serializer().serialize(tasks.name(), record.value()),
                  headers))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while dead-lettering a task", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "Cannot write to " + deadTasks.name() + ": " + e.getCause().getMessage(), e);
    }
  }
}
