package io.dirpipe.sink.lake;

import io.dirpipe.core.kafka.ClientSettings;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.entity.User;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Observations of users in a raw topic for the lake's tests: the first half stamped at noon of one
 * day, the second half a day later, each with a distinct id.
 */
public final class RawUsers {
  private RawUsers() {}

  /** A user of run-1 as a FULL run observed it. */
  public static Observation observed(
      String tenant, String id, String displayName, int page, Instant at) {
    return new Observation(
        tenant,
        "users",
        id,
        "run-1",
        Mode.FULL,
        page,
        at,
        ObservationKind.OBSERVED,
        null,
        User.newBuilder().setId(id).setDisplayName(displayName).build(),
        null,
        false);
  }

  /** Publishes {@code n} users and waits for every acknowledgement. */
  public static void publish(
      KafkaClients kafka, Topic<ObjectKey, Observation> raw, String tenant, int n, LocalDate day)
      throws Exception {
    TopicSetup.ensure(kafka, List.of(raw), io.dirpipe.schemas.TopicLayout.DEFAULT);
    Instant first = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    List<Future<?>> sent = new ArrayList<>();
    // One request in flight: right after a topic is created, the in-process broker can answer the
    // first batch NOT_LEADER_OR_FOLLOWER while accepting the next ones, and an idempotent
    // producer's
    // retry of that first batch is then out of sequence for good.
    ClientSettings settings =
        ClientSettings.of("test-raw-users")
            .require(ProducerConfig.ACKS_CONFIG, "all")
            .require(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    try (Producer<ObjectKey, Observation> p =
        kafka.producer(settings, raw.keySerde().serializer(), raw.valueSerde().serializer())) {
      for (int i = 0; i < n; i++) {
        String id = String.format("%08x-0000-4000-8000-000000000000", i);
        Instant at = i < n / 2 ? first : first.plus(Duration.ofDays(1));
        Observation o = observed(tenant, id, "User " + i, 1 + i / 999, at);
        sent.add(
            p.send(
                new ProducerRecord<>(
                    raw.name(), null, at.toEpochMilli(), new ObjectKey(tenant, id), o)));
      }
    }
    for (Future<?> f : sent) {
      f.get(); // every record is in the topic, or the test stops here
    }
  }
}
