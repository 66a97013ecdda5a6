package io.dirpipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Envelope;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.entity.User;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** A change written by a dirpipe before the envelope (contract v7) reads as today's envelope. */
class ChangeUpgradeTest {
  static final Instant T = Instant.parse("2026-11-24T08:00:00.123Z");

  @Test
  void aV7ChangeReadsAsAnEnvelope() throws Exception {
    Change read = AvroSerde.of(Change.class).deserialize("t", v7Change("UPDATE", "DELTA"));

    assertThat(read.getOp()).isEqualTo(Envelope.UPDATE);
    assertThat(read.getTsMs()).isEqualTo(T.plusSeconds(5).toEpochMilli());
    assertThat(read.getChangedFields()).containsExactly("displayName");
    assertThat(((User) read.getAfter()).getDisplayName()).isEqualTo("Ada");
    assertThat(read.getSource().getRunId()).isEqualTo("run-7");
    assertThat(read.getSource().getMode()).isEqualTo(Mode.DELTA);
    assertThat(read.getSource().getTsMs()).isEqualTo(T.toEpochMilli());
    assertThat(read.getSource().getSnapshot()).isEqualTo("false");
  }

  @Test
  void aV7CreateOfAFullRunIsASnapshotRead() throws Exception {
    Change read = AvroSerde.of(Change.class).deserialize("t", v7Change("CREATE", "FULL"));
    assertThat(read.getOp()).isEqualTo(Envelope.READ);
    assertThat(Envelope.op(read)).isEqualTo(Operation.CREATE);
  }

  /** A change as dirpipe wrote it with contract v7, from the committed history. */
  static byte[] v7Change(String op, String mode) throws Exception {
    Map<String, Schema> v7 = SchemaHistory.committed().versions().get(6);
    Schema change = v7.get("io.dirpipe.schemas.Change");
    Schema user = v7.get("io.dirpipe.schemas.entity.User");
    Schema source = change.getField("source").schema();
    GenericRecord after =
        new GenericRecordBuilder(user).set("id", "u1").set("displayName", "Ada").build();
    GenericRecord src =
        new GenericRecordBuilder(source)
            .set("tenantId", "t1")
            .set("collection", "users")
            .set("runId", "run-7")
            .set("mode", new GenericData.EnumSymbol(source.getField("mode").schema(), mode))
            .set("observedAt", T.toEpochMilli())
            .build();
    GenericRecord record =
        new GenericRecordBuilder(change)
            .set("op", new GenericData.EnumSymbol(change.getField("op").schema(), op))
            .set("after", after)
            .set("changedFields", List.of("displayName"))
            .set("source", src)
            .set("ts", T.plusSeconds(5).toEpochMilli())
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), change).encode(record, out);
    return out.toByteArray();
  }
}
