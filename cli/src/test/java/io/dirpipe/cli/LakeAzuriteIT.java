package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.sink.lake.ParquetFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code dirpipe sink lake} to Blob storage (Azurite): the files read back identically. */
@ExtendWith(KafkaExtension.class)
class LakeAzuriteIT {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";

  @TempDir Path dir;

  @Test
  void filesLandInTheContainerAndReadBackIdentically(TestKafka broker) throws Exception {
    try (Azurite azurite = Azurite.start(dir.resolve("azurite"))) {
      String prefix = "az" + UUID.randomUUID().toString().substring(0, 6) + ".";
      Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
      Topic<ObjectKey, Observation> raw = new Topics(prefix).raw(Collection.USERS);
      TopicSetup.ensure(
          KafkaClients.of(kafka), List.of(raw), io.dirpipe.schemas.TopicLayout.DEFAULT);
      try (KafkaProducer<ObjectKey, Observation> p =
          new KafkaProducer<>(
              TestProducers.config(kafka),
              raw.keySerde().serializer(),
              raw.valueSerde().serializer())) {
        for (int i = 0; i < 3_000; i++) {
          String id = String.format("%08x-0000-4000-8000-000000000000", i);
          p.send(
              new ProducerRecord<>(
                  raw.name(),
                  new ObjectKey(TENANT, id),
                  new Observation(
                      TENANT,
                      "users",
                      id,
                      "run-1",
                      io.dirpipe.schemas.Mode.FULL,
                      1,
                      Instant.now(),
                      io.dirpipe.schemas.ObservationKind.OBSERVED,
                      null,
                      User.newBuilder().setId(id).setDisplayName("User " + i).build(),
                      null,
                      false)));
        }
      }
      Map<String, String> env = new HashMap<>();
      env.put("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
      env.put("DIRPIPE_TOPICS_PREFIX", prefix);
      env.put("DIRPIPE_LAKE_ROOT", azurite.blobEndpoint() + "/lake/dirpipe");
      env.put("DIRPIPE_LAKE_CONNECTION_STRING", azurite.connectionString());
      env.put("DIRPIPE_LAKE_DATASETS", "raw");
      env.put("DIRPIPE_SINK_COLLECTIONS", "users");
      StringWriter err = new StringWriter();
      int code =
          Main.run(
              new String[] {"sink", "lake", "--until-idle", "2s"},
              env,
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true));
      assertThat(code).as(err.toString()).isZero();

      BlobContainerClient container =
          new BlobContainerClientBuilder()
              .connectionString(azurite.connectionString())
              .containerName("lake")
              .buildClient();
      List<BlobItem> blobs = container.listBlobs().stream().toList();
      assertThat(blobs).isNotEmpty();
      assertThat(blobs)
          .allMatch(b -> b.getName().startsWith("dirpipe/raw.users/tenant=" + TENANT + "/date="));
      Set<String> inLake = new HashSet<>();
      int rows = 0;
      for (BlobItem b : blobs) {
        Path local = dir.resolve(UUID.randomUUID() + ".parquet");
        container.getBlobClient(b.getName()).downloadToFile(local.toString());
        for (GenericRecord r : ParquetFiles.read(local)) {
          Observation o = (Observation) r.get("value");
          inLake.add(r.get("kafkaPartition") + "/" + r.get("kafkaOffset") + "/" + o);
          rows++;
        }
      }
      Set<String> inKafka = new HashSet<>();
      TopicReader.readAll(
          KafkaClients.of(kafka),
          raw,
          r -> inKafka.add(r.partition() + "/" + r.offset() + "/" + r.value()));
      assertThat(rows).isEqualTo(3_000);
      assertThat(inLake).isEqualTo(inKafka);
    }
  }
}
