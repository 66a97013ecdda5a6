package io.dirpipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Samples;
import io.dirpipe.schemas.entity.Member;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class ObservationEncoderTest {
  @Test
  void encodesExactlyWhatTheSerdeWritesForEveryEntity() {
    AvroSerde<Observation> serde = AvroSerde.of(Observation.class);
    for (SpecificRecord sample : Samples.everyMessage()) {
      if (!sample.getSchema().getNamespace().equals("io.dirpipe.schemas.entity")) {
        continue;
      }
      Observation o =
          new Observation(
              Samples.TENANT,
              "users",
              "u-1",
              "run-7",
              Mode.DELTA,
              1234,
              Instant.parse("2026-11-24T08:00:00.123Z"),
              ObservationKind.OBSERVED,
              null,
              sample,
              null,
              false);
      ObservationEncoder.Encoded payload = ObservationEncoder.payload(sample);

      assertThat(ObservationEncoder.encode(o, sample, payload))
          .as(sample.getSchema().getName())
          .isEqualTo(serde.serialize("t", o));
      assertThat(payload.contentHash()).isEqualTo(ContentHash.of(sample));
    }
    Member m = new Member("g", "u", "user");
    Observation noId =
        new Observation(
            Samples.TENANT,
            "groupMembers",
            null,
            "r",
            Mode.FULL,
            1,
            Instant.EPOCH,
            ObservationKind.OBSERVED,
            null,
            m,
            null,
            false);
    assertThat(ObservationEncoder.encode(noId, m, ObservationEncoder.payload(m)))
        .isEqualTo(serde.serialize("t", noId));
  }
}
