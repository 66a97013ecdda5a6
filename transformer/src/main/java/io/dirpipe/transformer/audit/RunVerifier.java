package io.dirpipe.transformer.audit;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.RunDigest;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.RunEventType;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.serde.ContentHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Proves runs complete: recomputes each run's record counts and digest from the raw topics ({@code
 * read_committed}) or the lake's raw tables and compares them with its RunCompleted event. A groups
 * DELTA run that carried {@code members@delta} wrote membership observations too: they are in its
 * counts and digest, so {@code raw.groupMembers} is read for it as well. On a difference it names
 * the evidence it can find: ids observed more than once, and, for a FULL run, ids the previous FULL
 * run of the same tenant and collection observed that this run has not (missing, or deleted since).
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
      List<String> missing,
      List<String> resent) {
    public boolean ok() {
      return expectedRecords == actualRecords
          && expectedRemoved == actualRemoved
          && expectedDigest.equals(actualDigest);
    }
  }

  /**
   * Where a run's evidence is read: its COMPLETED event and the observations of its raw collection.
   * The topics ({@link #topics}) or the lake's tables.
   */
  public interface Source {
    /** Every run event. */
    void runEvents(Consumer<RunEvent> each);

    /** Every observation of a collection's raw records. */
    void observations(Collection<?> collection, Consumer<Observation> each);

    /** Where the run events are, for an error message: a topic or a table. */
    String runsName();
  }

  /** The topics, read {@code read_committed}. */
  public static Source topics(KafkaClients kafka, Topics topics) {
    return new Source() {
      @Override
      public void runEvents(Consumer<RunEvent> each) {
        TopicReader.readAll(
            kafka,
            topics.runs(),
            r -> {
              if (r.value() != null) {
                each.accept(r.value());
              }
            });
      }

      @Override
      public void observations(Collection<?> collection, Consumer<Observation> each) {
        TopicReader.readAll(
            kafka,
            topics.raw(collection),
            r -> {
              if (r.value() != null) {
                each.accept(r.value());
              }
            });
      }

      @Override
      public String runsName() {
        return "topic " + topics.runs().name();
      }
    };
  }

  /**
   * @throws IllegalArgumentException when the runs topic has no COMPLETED event of {@code runId}
   */
  public static Result verify(KafkaClients kafka, Topics topics, String runId) {
    return verifyAll(topics(kafka, topics), List.of(runId)).get(0);
  }

  /** Verifies several runs from the topics. */
  public static List<Result> verifyAll(
      KafkaClients kafka, Topics topics, java.util.Collection<String> runIds) {
    return verifyAll(topics(kafka, topics), runIds, !kafka.transactions());
  }

  /** Verifies several runs, reading the run events and each raw collection once. */
  public static List<Result> verifyAll(Source source, java.util.Collection<String> runIds) {
    return verifyAll(source, runIds, false);
  }

  /**
   * Verifies several runs, reading the run events and each raw collection once.
   *
   * @param atLeastOnce the runs were written without transactions ({@code
   *     delivery.guarantee=at-least-once}): a second copy of an observation, the same object with
   *     the same content in the same run, is a record an extractor wrote again after a restart (its
   *     checkpoint did not cover it yet); it is counted once and named in {@link Result#resent}
   * @throws IllegalArgumentException naming a run with no COMPLETED event
   */
  public static List<Result> verifyAll(
      Source source, java.util.Collection<String> runIds, boolean atLeastOnce) {
    List<RunEvent> completed = new ArrayList<>();
    source.runEvents(
        e -> {
          if (e.getType() == RunEventType.COMPLETED) {
            completed.add(e);
          }
        });
    Map<String, Tally> tallies = new LinkedHashMap<>();
    Map<String, Set<String>> previousIds = new HashMap<>();
    Set<Collection<?>> rawCollections = new LinkedHashSet<>();
    for (String runId : runIds) {
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
                              + source.runsName()
                              + ": check the id (dirpipe extract --json prints it), the topic"
                              + " prefix and the source"));
      Tally t = new Tally(run, previousFullRun(completed, run), atLeastOnce);
      tallies.put(runId, t);
      if (t.previous != null) {
        previousIds.put(t.previous, new HashSet<>());
      }
      Collection<?> c = Collection.of(run.getCollection());
      rawCollections.add(c);
      if (c == Collection.GROUPS) {
        rawCollections.add(Collection.GROUP_MEMBERS); // members@delta of a groups run
      }
    }
    for (Collection<?> c : rawCollections) {
      source.observations(
          c,
          o -> {
            if (o.getKind() == ObservationKind.RUN_END) {
              return;
            }
            Tally t = tallies.get(o.getRunId());
            if (t != null && o.getTenantId().equals(t.run.getTenantId())) {
              t.add(o);
            }
            Set<String> previous = previousIds.get(o.getRunId());
            if (previous != null && o.getKind() == ObservationKind.OBSERVED) {
              previous.add(termId(o));
            }
          });
    }
    List<Result> results = new ArrayList<>();
    for (Tally t : tallies.values()) {
      results.add(t.result(previousIds.getOrDefault(t.previous, Set.of())));
    }
    return results;
  }

  /** Counts and digest of one run as the topic has it. */
  private static final class Tally {
    final RunEvent run;
    final String previous;
    final RunDigest digest = new RunDigest();
    final Map<String, Integer> seen = new HashMap<>();
    final boolean atLeastOnce;
    final Set<String> terms = new HashSet<>();
    final Set<String> resent = new TreeSet<>();
    long observed;
    long removed;

    Tally(RunEvent run, String previous, boolean atLeastOnce) {
      this.run = run;
      this.previous = previous;
      this.atLeastOnce = atLeastOnce;
    }

    void add(Observation o) {
      String id = termId(o);
      byte[] hash =
          o.getKind() == ObservationKind.OBSERVED
              ? ContentHash.of((SpecificRecord) o.getPayload())
              : ContentHash.removed(o.getRemovedReason().name());
      if (atLeastOnce && !terms.add(id + "/" + java.util.HexFormat.of().formatHex(hash))) {
        resent.add(id); // the same observation again: written twice, counted once
        return;
      }
      digest.add(id, hash);
      if (o.getKind() == ObservationKind.OBSERVED) {
        observed++;
      } else {
        removed++;
      }
      seen.merge(id, 1, Integer::sum);
    }

    Result result(Set<String> previousIds) {
      List<String> duplicates =
          seen.entrySet().stream()
              .filter(e -> e.getValue() > 1)
              .map(Map.Entry::getKey)
              .sorted()
              .toList();
      Set<String> missing = new TreeSet<>(previousIds);
      missing.removeAll(seen.keySet());
      return new Result(
          run.getRunId(),
          run.getTenantId(),
          run.getCollection(),
          run.getMode().name(),
          run.getRecords(),
          observed,
          run.getRemoved(),
          removed,
          run.getDigest() == null ? "" : run.getDigest(),
          digest.hex(),
          duplicates,
          List.copyOf(missing),
          List.copyOf(resent));
    }
  }

  /** The digest's id of a record: the object id, or from/to for an edge. */
  private static String termId(Observation o) {
    if (o.getPayload() instanceof Member m) {
      return m.getGroupId() + "/" + m.getMemberId();
    }
    return o.getPayload() instanceof Edge e ? RunDigest.termId(e) : o.getObjectId();
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
