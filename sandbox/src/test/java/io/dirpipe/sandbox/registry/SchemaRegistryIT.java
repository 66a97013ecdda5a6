package io.dirpipe.sandbox.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.schemas.serde.AvroSerde;
import io.dirpipe.schemas.wire.RegistryClient;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry's state lives in the compacted {@code _schemas} topic: a restart keeps it. */
@ExtendWith(KafkaExtension.class)
class SchemaRegistryIT {

  @Test
  void aRestartedRegistryKnowsEverySubjectIdAndLevel(TestKafka broker) throws Exception {
    String subject = "it-" + UUID.randomUUID() + "-value";
    int keyId;
    int userId;
    try (SchemaRegistry first = SchemaRegistry.start(broker.clients())) {
      RegistryClient client = client(first);
      keyId = client.register(subject, AvroSerde.MODEL.getSchema(ObjectKey.class));
      client.compatibility(subject, "NONE"); // another record may follow
      userId = client.register(subject, AvroSerde.MODEL.getSchema(User.class));
    }
    try (SchemaRegistry second = SchemaRegistry.start(broker.clients())) {
      RegistryClient client = client(second);
      assertThat(client.versions(subject)).containsExactly(1, 2);
      assertThat(client.schema(keyId)).isEqualTo(AvroSerde.MODEL.getSchema(ObjectKey.class));
      assertThat(client.schema(userId)).isEqualTo(AvroSerde.MODEL.getSchema(User.class));
      // the level was kept: a third, unrelated record is still accepted under NONE
      int third =
          client.register(subject, AvroSerde.MODEL.getSchema(io.dirpipe.schemas.EdgeKey.class));
      assertThat(third).isNotIn(keyId, userId);
      // and a new schema gets an id none of the stored ones has
      assertThat(client.versions(subject)).containsExactly(1, 2, 3);
    }
    try (var admin = broker.admin()) {
      var config =
          admin
              .describeConfigs(
                  java.util.List.of(
                      new org.apache.kafka.common.config.ConfigResource(
                          org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "_schemas")))
              .all()
              .get()
              .values()
              .iterator()
              .next();
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
    }
  }

  static RegistryClient client(SchemaRegistry registry) {
    return new RegistryClient(registry.url(), null, Duration.ofSeconds(10));
  }
}
