package io.dirpipe.schemas.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Avro's evolution rules applied to dirpipe's contract: every current message schema must read data
 * written by every committed version of it (backward), and every committed version must read data
 * written by the current schema (forward: consumers still running the older dirpipe keep working).
 *
 * <p>One exception to forward compatibility: an entity record ({@value #ENTITIES}) added as a new
 * branch of a union (the payload of a new collection). Its records are written only to that
 * collection's own topics, which did not exist for the older version, so no older reader meets
 * them.
 *
 * <p>The declared breaks ({@link #BREAKS}) are the other exception: a record whose shape was
 * replaced on purpose is checked only against the versions from its break on. The history keeps the
 * old shape, so the break stays visible and documented.
 */
public final class SchemaEvolution {
  static final String ENTITIES = "io.dirpipe.schemas.entity";

  /**
   * Records replaced on purpose: full name to the first version of the new shape. {@code Change}
   * became Debezium's envelope in v8 (op codes as strings, {@code ts_ms}), which no Avro rule maps
   * from the v1-v7 enum; schemas/README.md says how a deployment upgrades.
   */
  public static final Map<String, Integer> BREAKS = Map.of("io.dirpipe.schemas.Change", 8);

  private SchemaEvolution() {}

  /**
   * The incompatibilities between the current schemas and the history, each a sentence naming the
   * record, the version, the direction and the field; empty when the change is compatible.
   */
  public static List<String> problems(List<Map<String, Schema>> history, List<Schema> current) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      int version = i + 1;
      for (Schema now : current) {
        Schema then = history.get(i).get(now.getFullName());
        if (then == null || version < BREAKS.getOrDefault(now.getFullName(), 0)) {
          continue; // a message type added after that version: nothing old to read or be read by
        }
        check(
            then,
            now,
            "a reader of v" + version + " cannot read records written now",
            true,
            problems);
        check(
            now,
            then,
            "the current reader cannot read records written by v" + version,
            false,
            problems);
      }
    }
    return problems;
  }

  private static void check(
      Schema reader,
      Schema writer,
      String what,
      boolean newEntitiesAllowed,
      List<String> problems) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (Incompatibility inc : result.getIncompatibilities()) {
      if (newEntitiesAllowed && isNewEntityBranch(inc)) {
        continue;
      }
      problems.add(
          String.format(
              "%s: %s: %s '%s' at %s",
              reader.getName(),
              what,
              describe(inc.getType()),
              inc.getMessage(),
              inc.getLocation()));
    }
  }

  /** A union branch the older reader lacks that is an entity record (a new collection's). */
  private static boolean isNewEntityBranch(Incompatibility inc) {
    if (inc.getType() != SchemaCompatibility.SchemaIncompatibilityType.MISSING_UNION_BRANCH) {
      return false;
    }
    Schema writer = inc.getWriterFragment();
    List<Schema> branches =
        writer.getType() == Schema.Type.UNION ? writer.getTypes() : List.of(writer);
    Schema reader = inc.getReaderFragment();
    List<Schema> known =
        reader.getType() == Schema.Type.UNION ? reader.getTypes() : List.of(reader);
    for (Schema branch : branches) {
      boolean missing = known.stream().noneMatch(k -> k.getFullName().equals(branch.getFullName()));
      if (missing
          && !(branch.getType() == Schema.Type.RECORD && ENTITIES.equals(branch.getNamespace()))) {
        return false;
      }
    }
    return true;
  }

  private static String describe(SchemaCompatibility.SchemaIncompatibilityType type) {
    return switch (type) {
      case READER_FIELD_MISSING_DEFAULT_VALUE -> "field removed or added without a default:";
      case TYPE_MISMATCH -> "type changed:";
      case MISSING_ENUM_SYMBOLS -> "enum symbol removed:";
      case MISSING_UNION_BRANCH -> "union branch removed:";
      case NAME_MISMATCH -> "record renamed:";
      default -> type.name().toLowerCase() + ":";
    };
  }
}
