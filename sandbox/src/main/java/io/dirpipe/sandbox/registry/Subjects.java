package io.dirpipe.sandbox.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * The registry's state: schemas by global id, subjects with their versions, compatibility levels. A
 * schema registered twice under a subject keeps its version; the same schema under two subjects has
 * one id. Not thread-safe: {@link RegistryService} serialises writes.
 */
final class Subjects {
  static final String DEFAULT_LEVEL = "BACKWARD";
  static final List<String> LEVELS =
      List.of(
          "NONE",
          "BACKWARD",
          "BACKWARD_TRANSITIVE",
          "FORWARD",
          "FORWARD_TRANSITIVE",
          "FULL",
          "FULL_TRANSITIVE");

  /** One version of a subject. */
  record Version(String subject, int version, int id, String schema) {}

  private final Map<Integer, String> schemas = new HashMap<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<String, List<Version>> subjects = new TreeMap<>();
  private final Map<String, String> levels = new HashMap<>();
  private String globalLevel = DEFAULT_LEVEL;

  /** Applies one stored version (at start, or after it was written). */
  void apply(Version v) {
    schemas.put(v.id(), v.schema());
    ids.putIfAbsent(v.schema(), v.id());
    List<Version> versions = subjects.computeIfAbsent(v.subject(), s -> new ArrayList<>());
    versions.removeIf(old -> old.version() == v.version());
    versions.add(v);
    versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
  }

  void level(String subject, String level) {
    if (subject == null) {
      globalLevel = level;
    } else {
      levels.put(subject, level);
    }
  }

  String globalLevel() {
    return globalLevel;
  }

  Optional<String> subjectLevel(String subject) {
    return Optional.ofNullable(levels.get(subject));
  }

  String effectiveLevel(String subject) {
    return levels.getOrDefault(subject, globalLevel);
  }

  Optional<String> schema(int id) {
    return Optional.ofNullable(schemas.get(id));
  }

  List<String> subjectNames() {
    return List.copyOf(subjects.keySet());
  }

  List<Version> versions(String subject) {
    return subjects.getOrDefault(subject, List.of());
  }

  /** The subjects and versions holding a schema id. */
  List<Version> usesOf(int id) {
    List<Version> out = new ArrayList<>();
    subjects.values().forEach(vs -> vs.stream().filter(v -> v.id() == id).forEach(out::add));
    return out;
  }

  /** The version of {@code subject} holding this (canonical) schema. */
  Optional<Version> find(String subject, String canonical) {
    return versions(subject).stream().filter(v -> v.schema().equals(canonical)).findFirst();
  }

  /** The version that registering {@code canonical} under {@code subject} would create. */
  Version next(String subject, String canonical) {
    int id =
        ids.getOrDefault(canonical, schemas.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1);
    List<Version> versions = versions(subject);
    int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    return new Version(subject, version, id, canonical);
  }

  /**
   * Why {@code candidate} may not follow the versions of {@code subject} under {@code level}: one
   * message per incompatibility, naming the direction, the field and where; empty when it may.
   */
  List<String> problems(String subject, Schema candidate, String level, List<Version> against) {
    List<String> problems = new ArrayList<>();
    if (level.equals("NONE") || against.isEmpty()) {
      return problems;
    }
    List<Version> checked =
        level.endsWith("_TRANSITIVE") ? against : List.of(against.get(against.size() - 1));
    boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
    boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
    for (Version v : checked) {
      Schema old = new Schema.Parser().parse(v.schema());
      if (backward) {
        describe(candidate, old, "the new schema cannot read version " + v.version(), problems);
      }
      if (forward) {
        describe(
            old, candidate, "version " + v.version() + " cannot read the new schema", problems);
      }
    }
    return problems;
  }

  private static void describe(Schema reader, Schema writer, String what, List<String> out) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    for (var inc : result.getIncompatibilities()) {
      out.add(
          "{errorType:'"
              + inc.getType()
              + "', description:'"
              + what
              + ": "
              + inc.getMessage()
              + "', location:'"
              + inc.getLocation()
              + "'}");
    }
  }
}
