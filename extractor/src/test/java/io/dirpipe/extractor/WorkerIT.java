package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirpipe.core.LogCapture;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.ExtractionTask;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workers take extraction tasks from the tasks topic; an unknown tenant's task is skipped, not
 * retried forever.
 */
@ExtendWith(KafkaExtension.class)
class WorkerIT {
  @Test
  void aWorkerRunsTheTasksOfTheTenantsItOwns(TestKafka kafka) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(5_000).withQuota(Throttle.Quota.OFF))) {
      Topics topics = SandboxExtractors.topics();
      KafkaClients k = kafka.clients();
      String tenant = sandbox.tenant().tenantId();
      Worker.submit(
          k,
          topics,
          new ExtractionTask("99999999-0000-4000-8000-000000000000", List.of("users"), Mode.FULL));
      Worker.submit(k, topics, new ExtractionTask(tenant, List.of("users", "devices"), Mode.FULL));

      List<RunSummary> done = new CopyOnWriteArrayList<>();
      LogCapture logs = LogCapture.of(Worker.class);
      Worker worker =
          new Worker(
              t -> {
                if (!t.equals(tenant)) {
                  throw new IllegalArgumentException("no configuration for tenant " + t);
                }
                return SandboxExtractors.extractor(sandbox, kafka, topics, Map.of());
              },
              k,
              topics,
              "workers-" + UUID.randomUUID(),
              done::addAll);
      Thread thread =
          new Thread(
              () -> {
                try {
                  worker.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      thread.start();
      await("the runs of the tenant's task (users, devices) reported by the worker")
          .atMost(Duration.ofSeconds(60))
          .until(() -> done.size() >= 2);
      worker.close();
      thread.join(10_000);
      logs.close();
      assertThat(logs.errors())
          .as("the task of the unconfigured tenant, logged with its exception")
          .singleElement()
          .satisfies(e -> assertThat(e.getThrowableProxy()).isNotNull());
      List<ExtractionTask> dead = new java.util.ArrayList<>();
      var dlq = topics.deadLetters("tasks");
      io.dirpipe.core.kafka.TopicReader.readAll(
          k,
          dlq,
          r ->
              dead.add(
                  topics.tasks().valueSerde().deserializer().deserialize(dlq.name(), r.value())));
      assertThat(dead)
          .as("the task nobody can run is in the dead-letter topic, not dropped")
          .extracting(ExtractionTask::getTenantId)
          .containsExactly("99999999-0000-4000-8000-000000000000");

      assertThat(done)
          .extracting(RunSummary::collection)
          .containsExactlyInAnyOrder("users", "devices");
      assertThat(done).allSatisfy(r -> assertThat(r.status()).isEqualTo("completed"));
      assertThat(
              done.stream()
                  .filter(r -> r.collection().equals("users"))
                  .findFirst()
                  .orElseThrow()
                  .records())
          .isEqualTo(5_000);
    }
  }
}
