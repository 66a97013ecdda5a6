package io.dirpipe.sink.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.ManualTime;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.SinkStats;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RestCatalogFixture;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink through an Iceberg REST catalog ({@code lake.catalog.type=rest}): Iceberg's own REST
 * server, the client dirpipe builds. Tables created over the REST API, commits with their offsets,
 * a restart resuming from them, the history replayed and the current table read back.
 */
class RestCatalogTest {
  final Topics topics = new Topics("t.");
  final SinkStats stats = new SinkStats();
  @TempDir Path lake;

  @Test
  void theSinkWritesReplaysAndResumesThroughARestCatalog() throws Exception {
    try (RestCatalogFixture server = RestCatalogFixture.start(lake)) {
      IcebergSinkTest records = new IcebergSinkTest();
      TopicPartition p0 = new TopicPartition(topics.changes(Collection.USERS).name(), 0);
      IcebergSink first = sink(catalog(server));
      first.accept(
          new ConsumerRecords<>(
              Map.of(
                  p0,
                  List.of(
                      records.record(0, "a", Operation.CREATE, "A1"),
                      records.record(1, "b", Operation.CREATE, "B1"))),
              Map.of()));
      first.flush(List.of(p0)); // committed to the tables; the group's commit lost

      IcebergSink second = sink(catalog(server));
      MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
      consumer.assign(List.of(p0));
      consumer.updateBeginningOffsets(Map.of(p0, 0L));
      second.assigned(consumer, List.of(p0));
      assertThat(consumer.position(p0)).as("positioned by the REST catalog's table").isEqualTo(2);
      second.accept(
          new ConsumerRecords<>(
              Map.of(p0, List.of(records.record(2, "a", Operation.UPDATE, "A2"))), Map.of()));
      second.flush(List.of(p0));

      Catalog catalog = catalog(server);
      assertThat(catalog.tableExists(TableIdentifier.of(IcebergSink.NAMESPACE, "users_history")))
          .isTrue();
      assertThat(
              LakeReplay.at(catalog, Collection.USERS, IcebergSinkTest.T.plusSeconds(1))
                  .values()
                  .stream()
                  .map(u -> u.getDisplayName())
                  .toList())
          .containsExactly("A1", "B1");
      assertThat(LakeRecords.current(catalog, Collection.USERS))
          .extractingByKey(new ObjectKey(IcebergSinkTest.TENANT, "a"))
          .extracting(u -> u.getDisplayName())
          .isEqualTo("A2");
      assertThat(
              TableCommits.offsets(
                  catalog.loadTable(TableIdentifier.of(IcebergSink.NAMESPACE, "users_current")),
                  "lake"))
          .containsOnly(Map.entry(p0, 3L));
    }
  }

  Catalog catalog(RestCatalogFixture server) {
    return LakeCatalog.rest(server.uri(), lake.toUri().toString(), Map.of());
  }

  IcebergSink sink(Catalog catalog) {
    return TestSinks.of(
        catalog, topics, List.of(Collection.USERS), Set.of("changes"), stats, new ManualTime());
  }
}
