package io.dirpipe.schemas;

import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Debezium's envelope as dirpipe fills it: the op codes of a {@link Change} and its {@link Source}
 * block. Code reasons in {@link Operation}s; the topics carry Debezium's codes.
 *
 * <ul>
 *   <li>{@code r}: an object seen first by a FULL run, a snapshot read (Debezium's meaning: the row
 *       was read by a snapshot; when it was created is not known);
 *   <li>{@code c}: an object seen first by a delta query: Graph reported it new or changed and
 *       dirpipe did not hold it;
 *   <li>{@code u}: an update, {@code d}: a delete.
 * </ul>
 */
public final class Envelope {
  public static final String CREATE = "c";
  public static final String READ = "r";
  public static final String UPDATE = "u";
  public static final String DELETE = "d";

  private Envelope() {}

  /** A change event; {@code op} CREATE becomes {@code r} in a FULL run, {@code c} otherwise. */
  public static Change change(
      Operation op,
      SpecificRecord before,
      SpecificRecord after,
      List<String> changedFields,
      RemovedReason deleteReason,
      Source source,
      Instant ts) {
    return new Change(
        before,
        after,
        source,
        code(op, source.getMode()),
        ts.toEpochMilli(),
        changedFields,
        deleteReason);
  }

  /** The source block of a change read from {@code collection} by a run at {@code observedAt}. */
  public static Source source(
      String tenantId, String collection, String runId, Mode mode, Instant observedAt) {
    return new Source(
        tenantId,
        collection,
        runId,
        mode,
        observedAt,
        "dirpipe",
        observedAt.toEpochMilli(),
        Boolean.toString(mode == Mode.FULL));
  }

  /** The op code of {@code op} in a run of {@code mode}. */
  public static String code(Operation op, Mode mode) {
    return switch (op) {
      case CREATE -> mode == Mode.FULL ? READ : CREATE;
      case UPDATE -> UPDATE;
      case DELETE -> DELETE;
    };
  }

  /** What a change did: {@code c} and {@code r} are both a CREATE. */
  public static Operation op(Change change) {
    return switch (change.getOp()) {
      case CREATE, READ -> Operation.CREATE;
      case UPDATE -> Operation.UPDATE;
      case DELETE -> Operation.DELETE;
      default ->
          throw new IllegalArgumentException(
              "Unknown op '" + change.getOp() + "' in a change of " + change.getSource());
    };
  }

  /** When the change event was produced. */
  public static Instant ts(Change change) {
    return Instant.ofEpochMilli(change.getTsMs());
  }
}
