package io.dirpipe.sink.loganalytics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.EdgeChange;
import io.dirpipe.schemas.EdgeKey;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.serde.PlainJson;
import io.dirpipe.sink.SinkConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka records as Log Analytics rows (JSON objects of the custom tables' columns), rendered once
 * to bytes. Each row carries {@code EventId} = topic/partition/offset, so a row delivered twice (a
 * crash between the 204 and the offset commit) can be told apart in KQL.
 */
final class LogRows {
  /** A rendered row, its stream, and the record it came from. */
  record Row(String stream, byte[] json, ConsumerRecord<byte[], byte[]> source) {}

  /** A record that can never become a row. */
  static final class Undeliverable extends Exception {
    Undeliverable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Writes a record's columns; false when the record is no row (a run's end marker). */
  private interface Renderer {
    boolean render(JsonGenerator g, byte[] key, byte[] value, String topic) throws Exception;
  }

  /** A renderer of records that are all rows. */
  private interface AllRows {
    void render(JsonGenerator g, byte[] key, byte[] value, String topic) throws Exception;
  }

  private static Renderer rows(AllRows r) {
    return (g, k, v, topic) -> {
      r.render(g, k, v, topic);
      return true;
    };
  }

  private record Route(String stream, Renderer renderer) {}

  private static final JsonFactory JSON = new JsonFactory();
  private final Map<String, Route> routes = new HashMap<>();
  private final List<Topic<?, ?>> inputs = new java.util.ArrayList<>();

  LogRows(Topics topics, SinkConfig config) {
    List<String> sources = config.getList(SinkConfig.LOGS_SOURCES);
    if (sources.contains("changes")) {
      for (Collection<?> c : config.collections()) {
        if (c.isObjectCollection()) {
          Topic<ObjectKey, Change> t = topics.changes(c);
          inputs.add(t);
          routes.put(
              t.name(),
              new Route(
                  config.getString(SinkConfig.LOGS_STREAM_CHANGES),
                  rows(
                      (g, k, v, name) ->
                          change(
                              g,
                              t.keySerde().deserializer().deserialize(name, k),
                              t.valueSerde().deserializer().deserialize(name, v)))));
        }
      }
    }
    if (sources.contains("memberships")) {
      Topic<MembershipKey, MembershipChange> t = topics.memberships();
      inputs.add(t);
      routes.put(
          t.name(),
          new Route(
              config.getString(SinkConfig.LOGS_STREAM_MEMBERSHIPS),
              rows(
                  (g, k, v, name) ->
                      membership(g, t.valueSerde().deserializer().deserialize(name, v)))));
    }
    if (sources.contains("edges")
        && config.collections().stream().anyMatch(Collection::isEdgeCollection)) {
      Topic<EdgeKey, EdgeChange> t = topics.edgeChanges();
      inputs.add(t);
      routes.put(
          t.name(),
          new Route(
              config.getString(SinkConfig.LOGS_STREAM_EDGES),
              rows(
                  (g, k, v, name) -> edge(g, t.valueSerde().deserializer().deserialize(name, v)))));
    }
    if (sources.contains("events")) {
      for (Collection<?> c : config.collections()) {
        if (c.isEventStream()) {
          Topic<ObjectKey, Observation> t = topics.raw(c);
          inputs.add(t);
          routes.put(
              t.name(),
              new Route(
                  config.getString(SinkConfig.LOGS_STREAM_EVENTS),
                  (g, k, v, name) -> event(g, t.valueSerde().deserializer().deserialize(name, v))));
        }
      }
    }
    if (sources.contains("runs")) {
      Topic<String, RunEvent> t = topics.runs();
      inputs.add(t);
      routes.put(
          t.name(),
          new Route(
              config.getString(SinkConfig.LOGS_STREAM_RUNS),
              rows((g, k, v, name) -> run(g, t.valueSerde().deserializer().deserialize(name, v)))));
    }
  }

  /** The topics these rows come from. */
  List<Topic<?, ?>> topics() {
    return List.copyOf(inputs);
  }

  /**
   * The row of a record, or null for a tombstone or a run's end marker (nothing to send).
   *
   * @throws Undeliverable when the record cannot be decoded
   */
  Row of(ConsumerRecord<byte[], byte[]> r) throws Undeliverable {
    if (r.value() == null) {
      return null;
    }
    Route route = routes.get(r.topic());
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      if (!route.renderer().render(g, r.key(), r.value(), r.topic())) {
        return null;
      }
      g.writeStringField("EventId", r.topic() + "/" + r.partition() + "/" + r.offset());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (io.dirpipe.schemas.wire.RegistryClient.RegistryException e) {
      throw e; // the registry is down or refuses us: an outage to wait out, not a bad record
    } catch (Exception e) {
      throw new Undeliverable(
          "cannot decode the record of "
              + r.topic()
              + " partition "
              + r.partition()
              + " offset "
              + r.offset()
              + ": "
              + e.getMessage(),
          e);
    }
    return new Row(route.stream(), out.toByteArray(), r);
  }

  private static void change(JsonGenerator g, ObjectKey key, Change c) throws IOException {
    g.writeStringField("TimeGenerated", io.dirpipe.schemas.Envelope.ts(c).toString());
    g.writeStringField("TenantId", key.getTenantId());
    g.writeStringField("Collection", c.getSource().getCollection());
    g.writeStringField("ObjectId", key.getObjectId());
    g.writeStringField("Operation", io.dirpipe.schemas.Envelope.op(c).name());
    g.writeArrayFieldStart("ChangedFields");
    for (String f : c.getChangedFields()) {
      g.writeString(f);
    }
    g.writeEndArray();
    g.writeStringField(
        "DeleteReason", c.getDeleteReason() == null ? null : c.getDeleteReason().name());
    g.writeStringField("RunId", c.getSource().getRunId());
    g.writeStringField("Mode", c.getSource().getMode().name());
    g.writeStringField("ObservedAt", c.getSource().getObservedAt().toString());
    object(g, "Before", (SpecificRecord) c.getBefore());
    object(g, "After", (SpecificRecord) c.getAfter());
  }

  private static void object(JsonGenerator g, String field, SpecificRecord o) throws IOException {
    g.writeFieldName(field);
    if (o == null) {
      g.writeNull();
    } else {
      PlainJson.write(g, o, o.getSchema());
    }
  }

  private static void membership(JsonGenerator g, MembershipChange m) throws IOException {
    g.writeStringField("TimeGenerated", m.getTs().toString());
    g.writeStringField("TenantId", m.getTenantId());
    g.writeStringField("GroupId", m.getGroupId());
    g.writeStringField("MemberId", m.getMemberId());
    g.writeStringField("MemberType", m.getMemberType());
    g.writeStringField("Operation", m.getOp().name());
    g.writeStringField("RunId", m.getSource().getRunId());
    g.writeStringField("Mode", m.getSource().getMode().name());
  }

  /**
   * An event of a stream: when, which, and the whole event as Graph described it; a run's end
   * marker is no row.
   */
  private static boolean event(JsonGenerator g, Observation o) throws IOException {
    if (o.getKind() == ObservationKind.RUN_END) {
      return false;
    }
    SpecificRecord e = (SpecificRecord) o.getPayload();
    String field =
        e instanceof io.dirpipe.schemas.entity.SignIn ? "createdDateTime" : "activityDateTime";
    Object at = e.get(e.getSchema().getField(field).pos());
    g.writeStringField("TimeGenerated", at == null ? o.getObservedAt().toString() : at.toString());
    g.writeStringField("TenantId", o.getTenantId());
    g.writeStringField("Stream", o.getCollection());
    g.writeStringField("Id", o.getObjectId());
    g.writeStringField("RunId", o.getRunId());
    object(g, "Event", e);
    return true;
  }

  private static void edge(JsonGenerator g, EdgeChange c) throws IOException {
    Edge e = c.getEdge();
    g.writeStringField("TimeGenerated", c.getTs().toString());
    g.writeStringField("TenantId", c.getTenantId());
    g.writeStringField("Kind", e.getKind());
    g.writeStringField("FromId", e.getFromId());
    g.writeStringField("ToId", e.getToId());
    g.writeStringField("ToType", e.getToType());
    g.writeStringField("Qualifier", e.getQualifier());
    g.writeObjectFieldStart("Attributes");
    for (Map.Entry<String, String> a : new java.util.TreeMap<>(e.getAttributes()).entrySet()) {
      g.writeStringField(a.getKey(), a.getValue());
    }
    g.writeEndObject();
    g.writeStringField("Operation", c.getOp().name());
    g.writeStringField("RunId", c.getSource().getRunId());
    g.writeStringField("Mode", c.getSource().getMode().name());
  }

  private static void run(JsonGenerator g, RunEvent e) throws IOException {
    g.writeStringField("TimeGenerated", e.getAt().toString());
    g.writeStringField("RunId", e.getRunId());
    g.writeStringField("TenantId", e.getTenantId());
    g.writeStringField("Collection", e.getCollection());
    g.writeStringField("Mode", e.getMode().name());
    g.writeStringField("EventType", e.getType().name());
    g.writeStringField("StartedAt", instant(e.getStartedAt()));
    g.writeNumberField("Records", e.getRecords());
    g.writeNumberField("Removed", e.getRemoved());
    g.writeNumberField("Pages", e.getPages());
    g.writeNumberField("Requests", e.getRequests());
    g.writeNumberField("Throttled", e.getThrottled());
    g.writeNumberField("ResourceUnits", e.getResourceUnits());
    g.writeStringField("Digest", e.getDigest());
    g.writeStringField("Error", e.getError());
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }
}
