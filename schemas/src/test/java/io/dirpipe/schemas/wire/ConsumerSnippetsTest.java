package io.dirpipe.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The consumer snippets of examples/README.md name topics, subjects and fields that exist: each
 * {@code <!-- contract: topic=.. subject=.. fields=.. -->} is checked against the catalogue and the
 * topic's wire schema, and the snippet after it must use every name it declares.
 */
class ConsumerSnippetsTest {
  static final Path DOC = Path.of("..", "examples", "README.md");
  static final Pattern CONTRACT =
      Pattern.compile(
          "<!-- contract: topic=(\\S+) (subject|derived-subject)=(\\S+) fields=(\\S+) -->"
              + "\\s*```\\w*\\n(.*?)```",
          Pattern.DOTALL);

  /**
   * @param derived the tool derives the subject from the topic (Connect's converters): the code
   *     need not name it
   */
  record Snippet(String topic, String subject, boolean derived, List<String> fields, String code) {}

  static List<Snippet> snippets() throws Exception {
    Matcher m = CONTRACT.matcher(Files.readString(DOC));
    List<Snippet> out = new ArrayList<>();
    while (m.find()) {
      out.add(
          new Snippet(
              m.group(1),
              m.group(3),
              m.group(2).startsWith("derived"),
              List.of(m.group(4).split(",")),
              m.group(5)));
    }
    return out;
  }

  @Test
  void everySnippetNamesWhatTheContractHas() throws Exception {
    List<Snippet> snippets = snippets();
    assertThat(snippets).as("contract comments in " + DOC).hasSizeGreaterThanOrEqualTo(6);
    for (Snippet s : snippets) {
      Topic<?, ?> topic = topic(s.topic);
      assertThat(s.subject).as("subject of " + s.topic).isIn(s.topic + "-value", s.topic + "-key");
      assertThat(s.code).as("the snippet for " + s.topic).contains(s.topic);
      if (!s.derived) {
        assertThat(s.code).as("the snippet for " + s.topic).contains(s.subject);
      }
      for (String field : s.fields) {
        boolean key = field.startsWith("key.");
        String path = key ? field.substring(4) : field;
        Schema schema = wire(key ? topic.keySerde() : topic.valueSerde());
        assertThat(resolves(schema, path))
            .as(field + " in " + s.topic + (key ? " keys" : " values") + " (" + DOC + ")")
            .isTrue();
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        assertThat(s.code).as("the snippet for " + s.topic + " uses " + field).contains(leaf);
      }
    }
  }

  @Test
  void aMisspeltFieldIsCaught() {
    Topic<?, ?> changes = topic("dirpipe.changes.users");
    assertThat(resolves(wire(changes.valueSerde()), "after.displayName")).isTrue();
    assertThat(resolves(wire(changes.valueSerde()), "after.displayname")).isFalse();
    assertThat(resolves(wire(changes.valueSerde()), "operation")).isFalse();
  }

  static Topic<?, ?> topic(String name) {
    Map<TopicClass, ValueFormat> json = new EnumMap<>(TopicClass.class);
    for (TopicClass c : TopicClass.values()) {
      json.put(c, ValueFormat.JSON);
    }
    Topics topics = new Topics(Topics.DEFAULT_PREFIX, new Formats(json, null));
    String rest = name.substring(Topics.DEFAULT_PREFIX.length());
    return switch (rest) {
      case "changes.memberships" -> topics.memberships();
      case "changes.edges" -> topics.edgeChanges();
      case "inventory.edges" -> topics.edgeInventory();
      case "runs" -> topics.runs();
      default -> {
        String kind = rest.substring(0, rest.indexOf('.'));
        Collection<?> c = Collection.of(rest.substring(kind.length() + 1));
        yield switch (kind) {
          case "changes" -> topics.changes(c);
          case "inventory" -> topics.inventory(c);
          case "raw", "events" -> topics.raw(c);
          default -> throw new AssertionError("No topic " + name + " in the catalogue");
        };
      }
    };
  }

  static Schema wire(Serde<?> serde) {
    return ((TopicSerde<?>) serde).wireSchema();
  }

  /** True when the dotted path names a field, through nullable unions. */
  static boolean resolves(Schema schema, String path) {
    Schema at = schema;
    for (String part : path.split("\\.")) {
      at = nonNull(at);
      if (at.getType() != Schema.Type.RECORD || at.getField(part) == null) {
        return false;
      }
      at = at.getField(part).schema();
    }
    return true;
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    List<Schema> branches =
        s.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : s;
  }
}
