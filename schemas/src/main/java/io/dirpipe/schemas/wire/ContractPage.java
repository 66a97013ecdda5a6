package io.dirpipe.schemas.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The contract as a page for the people who consume the topics: every topic with its key and value
 * schemas, registry subjects, cleanup policy and format setting; every record's fields; an example
 * record per topic in the JSON format. Rendered from the catalogue and the {@code .avsc} files, so
 * the page cannot say what the code does not do ({@code ContractPageTest} keeps {@code
 * schemas/CONTRACT.md} equal to it).
 */
public final class ContractPage {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = Topics.DEFAULT_PREFIX;

  private final Topics topics;
  private final Map<Class<?>, SpecificRecord> examples;
  private final Map<String, Schema> records = new LinkedHashMap<>();

  /**
   * @param examples one record per key and value type, shown as the topics' examples
   */
  public ContractPage(List<? extends SpecificRecord> examples) {
    Map<TopicClass, ValueFormat> json = new EnumMap<>(TopicClass.class);
    for (TopicClass c : TopicClass.values()) {
      json.put(c, ValueFormat.JSON);
    }
    this.topics = new Topics(PREFIX, new Formats(json, null));
    this.examples = new LinkedHashMap<>();
    examples.forEach(e -> this.examples.putIfAbsent(e.getClass(), e));
  }

  /** One topic (or topic pattern) of the page. */
  private record Row(String pattern, Topic<?, ?> topic, String format, String note) {}

  private List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(
        new Row(
            PREFIX + "raw.<collection>",
            topics.raw(Collection.USERS),
            "topics.value-format.raw",
            "Every observation of every run: the audit log. `payload` is the collection's entity."));
    rows.add(
        new Row(
            PREFIX + "events.<stream>",
            topics.raw(Collection.DIRECTORY_AUDITS),
            "topics.value-format.raw",
            "The events of an event stream, each once."));
    rows.add(
        new Row(
            PREFIX + "changes.<collection>",
            topics.changes(Collection.USERS),
            "topics.value-format.changes",
            "Debezium's envelope: `op` c, r, u, d; `before` and `after` the collection's entity."));
    rows.add(
        new Row(
            PREFIX + "changes.memberships",
            topics.memberships(),
            "topics.value-format.changes",
            "Group membership ADD / REMOVE."));
    rows.add(
        new Row(
            PREFIX + "changes.edges",
            topics.edgeChanges(),
            "topics.value-format.changes",
            "ADD / REMOVE of every edge collection's relations."));
    rows.add(
        new Row(
            PREFIX + "inventory.<collection>",
            topics.inventory(Collection.USERS),
            "topics.value-format.inventory",
            "The latest object per key; a tombstone (null value) when deleted."));
    rows.add(
        new Row(
            PREFIX + "inventory.edges",
            topics.edgeInventory(),
            "topics.value-format.inventory",
            "Every edge that holds now; a tombstone when removed."));
    rows.add(
        new Row(
            PREFIX + "runs",
            topics.runs(),
            "topics.value-format.runs",
            "Run started, completed (count and digest) or failed, keyed by run id."));
    rows.add(
        new Row(
            PREFIX + "checkpoints",
            topics.checkpoints(),
            "always avro (internal)",
            "Where each (tenant, collection) run stands: dirpipe's own."));
    rows.add(
        new Row(
            PREFIX + "tasks",
            topics.tasks(),
            "always avro (internal)",
            "Extraction work for the workers: dirpipe's own."));
    return rows;
  }

  /** The page, Markdown. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# The topics' contract\n\n")
        .append(
            "Generated from `schemas/src/main/avro` and the topic catalogue by `ContractPageTest`:"
                + " do not edit (run `mvn -pl schemas test -Dtest=ContractPageTest"
                + " -Dcontract.write=true` after a contract change). Topic names are shown with the"
                + " default prefix `")
        .append(PREFIX)
        .append("` (`topics.prefix`).\n\n")
        .append(
            "Formats (`topics.value-format`, per class `topics.value-format.<class>`):"
                + " `avro-registry` writes the Confluent wire format (byte 0, the schema id, Avro"
                + " binary) with the schemas registered under the subjects below (TopicNameStrategy,"
                + " compatibility FULL_TRANSITIVE); `json` writes the same field names as plain JSON"
                + " (unions as their value, timestamps ISO-8601, a record key as a JSON object);"
                + " `avro` writes single-object Avro that only dirpipe reads. String keys are UTF-8"
                + " in every format.\n\n");
    out.append("## Topics\n\n")
        .append(
            "| Topic | Key | Value | Subjects (avro-registry) | Cleanup | Format setting |"
                + " What |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows()) {
      out.append("| `")
          .append(r.pattern)
          .append("` | ")
          .append(typeName(r.topic.keySerde()))
          .append(" | ")
          .append(valueName(r))
          .append(" | ")
          .append(subjects(r))
          .append(" | ")
          .append(r.topic.compacted() ? "compact" : "delete")
          .append(" | ")
          .append(r.format.startsWith("always") ? r.format : "`" + r.format + "`")
          .append(" | ")
          .append(r.note)
          .append(" |\n");
    }
    out.append("\n## Collections\n\n").append("| Collection | Entity | Topics |\n|---|---|---|\n");
    for (Collection<?> c : Collection.all()) {
      List<String> names = new ArrayList<>();
      names.add(topics.raw(c).name().substring(PREFIX.length()));
      if (c.isObjectCollection()) {
        names.add("changes." + c.name());
        names.add("inventory." + c.name());
      } else if (c.isEdgeCollection()) {
        names.add("changes.edges");
        names.add("inventory.edges");
      } else if (!c.isEventStream()) {
        names.add("changes.memberships");
      }
      out.append("| ")
          .append(c.name())
          .append(" | [")
          .append(c.entityClass().getSimpleName())
          .append("](#")
          .append(c.entityClass().getSimpleName().toLowerCase())
          .append(") | ")
          .append(names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
          .append(" |\n");
    }
    out.append("\n## Examples (json format)\n\n");
    for (Row r : rows()) {
      if (!r.pattern.contains("<stream>")) { // the examples' observation is a user's
        example(out, r);
      }
    }
    out.append("## Records\n\n");
    for (Row r : rows()) {
      collect(wire(r.topic.keySerde()));
      collect(wire(r.topic.valueSerde()));
      for (Serde<?> serde : List.of(r.topic.keySerde(), r.topic.valueSerde())) {
        if (serde instanceof io.dirpipe.schemas.serde.AvroSerde<?> a) {
          collect(io.dirpipe.schemas.serde.AvroSerde.MODEL.getSchema(a.type()));
        }
      }
    }
    for (Collection<?> c : Collection.all()) {
      collect(c.entitySchema());
    }
    for (Schema s : records.values()) {
      record(out, s);
    }
    return out.toString();
  }

  private void example(StringBuilder out, Row r) {
    Object key = exampleOf(r.topic.keySerde());
    Object value = exampleOf(r.topic.valueSerde());
    if (value == null) {
      return;
    }
    out.append("`").append(r.topic.name()).append("`\n\n```json\n");
    if (key != null) {
      out.append("key:   ")
          .append(json(r.topic.keySerde(), r.topic.name(), key).replaceAll("\\s*\n\\s*", " "))
          .append('\n');
    }
    out.append("value: ")
        .append(json(r.topic.valueSerde(), r.topic.name(), value))
        .append("\n```\n\n");
  }

  private Object exampleOf(Serde<?> serde) {
    if (serde instanceof TopicSerde<?> t) {
      for (SpecificRecord e : examples.values()) {
        if (e.getSchema().getFullName().equals(renamedFullName(t))) {
          return e;
        }
      }
    }
    return null;
  }

  private static String renamedFullName(TopicSerde<?> t) {
    Schema wire = t.wireSchema();
    return wire.getName().equals("Envelope") ? "io.dirpipe.schemas.Change" : wire.getFullName();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String json(Serde serde, String topic, Object value) {
    byte[] bytes = serde.serializer().serialize(topic, value);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema wire(Serde<?> serde) {
    return serde instanceof TopicSerde<?> t ? t.wireSchema() : null;
  }

  private static String typeName(Serde<?> serde) {
    Schema s = wire(serde);
    if (serde instanceof io.dirpipe.schemas.serde.AvroSerde<?> a) {
      s = io.dirpipe.schemas.serde.AvroSerde.MODEL.getSchema(a.type());
    }
    if (s == null) {
      return serde.getClass().getSimpleName().startsWith("ByteArray") ? "bytes" : "string";
    }
    return link(s);
  }

  private static String valueName(Row r) {
    if (r.pattern.endsWith("inventory.<collection>")) {
      return "the collection's entity (users: " + typeName(r.topic.valueSerde()) + ")";
    }
    if (r.pattern.endsWith("changes.<collection>")) {
      return typeName(r.topic.valueSerde())
          + " (`io.dirpipe.changes.<collection>.Envelope`; users' shown)";
    }
    return typeName(r.topic.valueSerde());
  }

  private static String subjects(Row r) {
    if (r.format.startsWith("always")) {
      return "none";
    }
    String name = r.pattern;
    String key = wire(r.topic.keySerde()) != null ? "`" + name + "-key`, " : "";
    return key + "`" + name + "-value`";
  }

  private void collect(Schema s) {
    if (s == null) {
      return;
    }
    switch (s.getType()) {
      case RECORD -> {
        if (records.putIfAbsent(s.getFullName(), s) == null) {
          s.getFields().forEach(f -> collect(f.schema()));
        }
      }
      case UNION -> s.getTypes().forEach(this::collect);
      case ARRAY -> collect(s.getElementType());
      case MAP -> collect(s.getValueType());
      case ENUM -> records.putIfAbsent(s.getFullName(), s);
      default -> {}
    }
  }

  private static void record(StringBuilder out, Schema s) {
    out.append("### ").append(s.getName()).append("\n\n");
    out.append("`").append(s.getFullName()).append("`");
    if (s.getDoc() != null) {
      out.append(": ").append(s.getDoc().replace("\n", " "));
    }
    out.append("\n\n");
    if (s.getType() == Schema.Type.ENUM) {
      out.append("Symbols: ")
          .append(
              s.getEnumSymbols().stream().map(e -> "`" + e + "`").collect(Collectors.joining(", ")))
          .append("\n\n");
      return;
    }
    out.append("| Field | Type | Default | Description |\n|---|---|---|---|\n");
    for (Schema.Field f : s.getFields()) {
      out.append("| `")
          .append(f.name())
          .append("` | ")
          .append(type(f.schema()))
          .append(" | ")
          .append(f.hasDefaultValue() ? "`" + defaultOf(f).replace("|", "\\|") + "`" : "")
          .append(" | ")
          .append(f.doc() == null ? "" : f.doc().replace("|", "\\|").replace("\n", " "))
          .append(" |\n");
    }
    out.append('\n');
  }

  /** A field's default as JSON. */
  private static String defaultOf(Schema.Field f) {
    Object value = f.defaultVal();
    if (value == org.apache.avro.JsonProperties.NULL_VALUE) {
      return "null";
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String type(Schema s) {
    return switch (s.getType()) {
      case UNION -> {
        List<Schema> branches =
            s.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
        String inner =
            branches.stream().map(ContractPage::type).collect(Collectors.joining(" or "));
        yield branches.size() < s.getTypes().size() ? inner + " (nullable)" : inner;
      }
      case ARRAY -> "array of " + type(s.getElementType());
      case MAP -> "map of " + type(s.getValueType());
      case RECORD, ENUM -> link(s);
      case LONG ->
          s.getLogicalType() != null ? "timestamp (" + s.getLogicalType().getName() + ")" : "long";
      default -> s.getType().getName();
    };
  }

  private static String link(Schema s) {
    return "[" + s.getName() + "](#" + s.getName().toLowerCase() + ")";
  }
}
