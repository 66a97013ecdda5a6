package io.dirpipe.transformer.audit;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RunDigest;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.TopicReader;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.serde.ContentHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;

/**
 * Proves a run complete: recomputes its record counts and digest from the raw topic ({@code
 * read_committed}) and compares them with its RunCompleted event. On a difference it names the
 * evidence it can find: ids observed more than once, and, for a FULL run, ids the previous FULL run
 * of the same tenant and collection observed that this run has not (missing, or deleted since).
 */
public final class RunVerifier {
  private RunVerifier() {}

  /** The outcome; {@code ok} when counts and digest match. */
  public record Result(
      String runId,
      String tenantId,
      String collection,
      String mode,
      long expectedRecords,
      long actualRecords,
      long expectedRemoved,
      long actualRemoved,
      String expectedDigest,
      String actualDigest,
      List<String> duplicates,
      List<String> missing) {
    public boolean ok() {
      return expectedRecords == actualRecords
          && expectedRemoved == actualRemoved
          && expectedDigest.equals(actualDigest);
    }
  }

  /**
   * @throws IllegalArgumentException when the runs topic has no COMPLETED event of {@code runId}
   */
  public static Result verify(Map<String, Object> kafka, Topics topics, String runId) {
    List<RunEvent> completed = new ArrayList<>();
    TopicReader.readAll(
        kafka,
        topics.runs(),
        r -> {
          if (r.value() != null && r.value().getType() == RunEventType.COMPLETED) {
            completed.add(r.value());
          }
        });
    RunEvent run =
        completed.stream()
            .filter(e -> e.getRunId().equals(runId))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Run '"
                            + runId
                            + "' has no COMPLETED event in "
                            + topics.runs().name()
                            + ": check the id (dirpipe extract --json prints it) and the topic prefix"));
    String previous = previousFullRun(completed, run);
    Collection<?> collection = Collection.of(run.getCollection());

    RunDigest digest = new RunDigest();
    Map<String, Integer> seen = new HashMap<>();
    Set<String> previousIds = new HashSet<>();
    long[] counts = new long[2];
    TopicReader.readAll(
        kafka,
        topics.raw(collection),
        r -> {
          var o = r.value();
          if (o == null
              || o.getKind() == ObservationKind.RUN_END
              || !o.getTenantId().equals(run.getTenantId())) {
            return;
          }
          String id = termId(o.getObjectId(), o.getPayload());
          if (o.getRunId().equals(runId)) {
            if (o.getKind() == ObservationKind.OBSERVED) {
              digest.add(id, ContentHash.of((SpecificRecord) o.getPayload()));
              counts[0]++;
            } else {
              digest.add(id, ContentHash.removed(o.getRemovedReason().name()));
              counts[1]++;
            }
            seen.merge(id, 1, Integer::sum);
          } else if (o.getRunId().equals(previous) && o.getKind() == ObservationKind.OBSERVED) {
            previousIds.add(id);
          }
        });
    List<String> duplicates =
        seen.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    Set<String> missing = new TreeSet<>(previousIds);
    missing.removeAll(seen.keySet());
    return new Result(
        runId,
        run.getTenantId(),
        run.getCollection(),
        run.getMode().name(),
        run.getRecords(),
        counts[0],
        run.getRemoved(),
        counts[1],
        run.getDigest() == null ? "" : run.getDigest(),
        digest.hex(),
        duplicates,
        List.copyOf(missing));
  }

  /** The digest's id of a record: the object id, or group/member for a membership edge. */
  private static String termId(String objectId, Object payload) {
    return payload instanceof Member m ? m.getGroupId() + "/" + m.getMemberId() : objectId;
  }

  /** The FULL run of the same tenant and collection completed last before this one, or null. */
  private static String previousFullRun(List<RunEvent> completed, RunEvent run) {
    if (run.getMode() != Mode.FULL) {
      return null;
    }
    RunEvent best = null;
    for (RunEvent e : completed) {
      if (e.getMode() == Mode.FULL
          && e.getTenantId().equals(run.getTenantId())
          && e.getCollection().equals(run.getCollection())
          && e.getStartedAt().isBefore(run.getStartedAt())
          && (best == null || e.getStartedAt().isAfter(best.getStartedAt()))) {
        best = e;
      }
    }
    return best == null ? null : best.getRunId();
  }
}
