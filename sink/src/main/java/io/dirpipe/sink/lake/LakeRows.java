package io.dirpipe.sink.lake;

import io.dirpipe.schemas.Topic;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The rows of one topic's dataset: where the record was in Kafka (partition, offset, timestamp),
 * its key and its value, as the Avro records of the contract (nested; unions stay unions).
 */
final class LakeRows<K extends SpecificRecord, V extends SpecificRecord> {
  private final Topic<K, V> topic;
  private final String dataset;
  private final Schema schema;

  /**
   * @param entity the one entity type the topic's values carry (their unions of every entity are
   *     narrowed to it: columns of one type, not of seven), or null to keep the unions
   */
  LakeRows(
      Topic<K, V> topic,
      String dataset,
      Class<K> keyClass,
      Class<V> valueClass,
      Class<? extends SpecificRecord> entity) {
    this.topic = topic;
    this.dataset = dataset;
    Schema key = SpecificData.get().getSchema(keyClass);
    Schema value = SpecificData.get().getSchema(valueClass);
    if (entity != null) {
      value = narrow(value, SpecificData.get().getSchema(entity));
    }
    this.schema =
        SchemaBuilder.record("LakeRow")
            .namespace("io.dirpipe.lake")
            .doc("One record of " + dataset + ": its place in Kafka, key and value.")
            .fields()
            .requiredInt("kafkaPartition")
            .requiredLong("kafkaOffset")
            .name("kafkaTimestamp")
            .type(
                org.apache.avro.LogicalTypes.timestampMillis()
                    .addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .name("key")
            .type(key)
            .noDefault()
            .name("value")
            .type(Schema.createUnion(List.of(Schema.create(Schema.Type.NULL), value)))
            .withDefault(null)
            .endRecord();
  }

  /** The record schema with each union that holds {@code entity} reduced to [null, entity]. */
  static Schema narrow(Schema record, Schema entity) {
    List<Schema.Field> fields = new java.util.ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      Schema s = f.schema();
      boolean holdsEntity =
          s.getType() == Schema.Type.UNION
              && s.getTypes().stream().anyMatch(b -> b.getFullName().equals(entity.getFullName()));
      fields.add(
          new Schema.Field(
              f, holdsEntity ? Schema.createUnion(Schema.create(Schema.Type.NULL), entity) : s));
    }
    return Schema.createRecord(
        record.getName(), record.getDoc(), record.getNamespace(), false, fields);
  }

  Topic<K, V> topic() {
    return topic;
  }

  String dataset() {
    return dataset;
  }

  Schema schema() {
    return schema;
  }

  /** A decoded row with the tenant it belongs to. */
  record Row(String tenantId, GenericData.Record record) {}

  /**
   * @throws RuntimeException when the key or value cannot be decoded
   */
  Row of(ConsumerRecord<byte[], byte[]> r) {
    K key = topic.keySerde().deserializer().deserialize(r.topic(), r.key());
    V value =
        r.value() == null
            ? null
            : topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
    GenericData.Record row = new GenericData.Record(schema);
    row.put(0, r.partition());
    row.put(1, r.offset());
    row.put(2, java.time.Instant.ofEpochMilli(r.timestamp()));
    row.put(3, key);
    row.put(4, value);
    return new Row(String.valueOf(key.get(0)), row);
  }
}
