package io.dirpipe.cli;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Settings of the producers tests use to publish their input. */
final class TestProducers {
  private TestProducers() {}

  /**
   * One request in flight: right after a topic is created, the in-process broker can answer the
   * first batch NOT_LEADER_OR_FOLLOWER while accepting the next ones, and an idempotent producer's
   * retry of that first batch is then out of sequence for good.
   */
  static Map<String, Object> config(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    return config;
  }
}
