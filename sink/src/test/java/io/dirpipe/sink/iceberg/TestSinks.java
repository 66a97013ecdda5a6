package io.dirpipe.sink.iceberg;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.MockKafkaClients;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.DeadLetters;
import io.dirpipe.sink.SinkStats;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.common.Cluster;

/** An Iceberg sink for tests: group {@code lake}, a 60 s interval, dead letters to a mock. */
final class TestSinks {
  private TestSinks() {}

  static IcebergSink of(
      Catalog catalog,
      Topics topics,
      List<Collection<?>> collections,
      Set<String> datasets,
      SinkStats stats,
      Time time) {
    return new IcebergSink(
        catalog,
        topics,
        collections,
        datasets,
        "lake",
        Duration.ofSeconds(60),
        new DeadLetters(new MockKafkaClients(Cluster.empty()), topics.deadLetters("lake"), stats),
        stats,
        time);
  }
}
