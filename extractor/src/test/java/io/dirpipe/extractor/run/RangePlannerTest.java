package io.dirpipe.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.ManualTime;
import io.dirpipe.core.RetryPolicy;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.extractor.graph.GraphFailure;
import io.dirpipe.extractor.graph.Page;
import io.dirpipe.extractor.graph.PageSource;
import io.dirpipe.extractor.ratelimit.ResourceUnitLimiter;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Mode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How a FULL run of users is split into createdDateTime ranges, against a scripted Graph that
 * counts a known list of creation times: balanced, disjoint, complete, or one cursor and why.
 */
class RangePlannerTest {
  static final String BASE = "https://graph.microsoft.com/v1.0";
  static final Pattern CLAUSE = Pattern.compile("createdDateTime (ge|le) (\\S+)");

  final ManualTime time = new ManualTime(Instant.parse("2026-12-01T00:00:00Z"));
  final RunState state = RunState.fresh("t", "users", Mode.FULL, null, time);
  final List<String> asked = new ArrayList<>();
  boolean refuseFilters;

  /** Creation times of n users over five years, and {@code withoutTime} users with none. */
  List<Instant> created(int n, int withoutTime) {
    SplittableRandom random = new SplittableRandom(7);
    List<Instant> times = new ArrayList<>();
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      times.add(from.plusSeconds(random.nextLong(5L * 365 * 86_400)));
    }
    for (int i = 0; i < withoutTime; i++) {
      times.add(null);
    }
    return times;
  }

  /** Answers count pages: {@code @odata.count} of the users the $filter matches. */
  PageSource graph(List<Instant> created) {
    return (url, reader, headers) -> {
      asked.add(url);
      assertThat(headers).containsEntry("ConsistencyLevel", "eventual");
      assertThat(url).contains("$count=true");
      String filter =
          url.contains("$filter=")
              ? URLDecoder.decode(url.replaceAll(".*\\$filter=", ""), StandardCharsets.UTF_8)
              : null;
      if (filter != null && refuseFilters) {
        throw new GraphFailure(
            GraphFailure.Kind.PERMANENT,
            400,
            "Request_UnsupportedQuery",
            null,
            "HTTP 400 Request_UnsupportedQuery",
            null);
      }
      Predicate<Instant> matches = t -> true;
      if (filter != null) {
        Matcher m = CLAUSE.matcher(filter);
        while (m.find()) {
          Instant bound = Instant.parse(m.group(2));
          Predicate<Instant> clause =
              m.group(1).equals("ge") ? t -> !t.isBefore(bound) : t -> !t.isAfter(bound);
          matches = matches.and(t -> t != null && clause.test(t));
        }
      }
      long n = created.stream().filter(matches).count();
      return new Page(List.of(), null, null, 1, 0, n);
    };
  }

  RangePlanner.Plan plan(List<Instant> created, int maxCursors) throws Exception {
    PageFetcher fetcher =
        new PageFetcher(
            graph(created),
            new ResourceUnitLimiter(8_000, time),
            RetryPolicy.of(3, Duration.ofMinutes(10)),
            time);
    return new RangePlanner(
            fetcher,
            CollectionSpec.of(Collection.USERS, null),
            BASE,
            state,
            time,
            maxCursors,
            25_000)
        .plan();
  }

  /** How many of {@code created} each filter matches. */
  List<Long> counts(List<Instant> created, List<String> filters) {
    List<Long> counts = new ArrayList<>();
    for (String f : filters) {
      Predicate<Instant> matches = t -> t != null;
      Matcher m = CLAUSE.matcher(f);
      while (m.find()) {
        Instant bound = Instant.parse(m.group(2));
        Predicate<Instant> clause =
            m.group(1).equals("ge") ? t -> !t.isBefore(bound) : t -> !t.isAfter(bound);
        matches = matches.and(clause);
      }
      counts.add(created.stream().filter(matches).count());
    }
    return counts;
  }

  @Test
  void aLargeCollectionIsSplitIntoBalancedDisjointRangesThatCoverIt() throws Exception {
    List<Instant> created = created(400_000, 0);
    RangePlanner.Plan plan = plan(created, 16);

    assertThat(plan.ranged()).as(plan.reason()).isTrue();
    assertThat(plan.filters()).hasSize(16);
    assertThat(plan.total()).isEqualTo(400_000);
    List<Long> counts = counts(created, plan.filters());
    assertThat(counts.stream().mapToLong(Long::longValue).sum())
        .as("every user is in exactly one range")
        .isEqualTo(400_000);
    // balanced: no range holds more than twice its share
    assertThat(counts).allSatisfy(c -> assertThat(c).isBetween(1L, 2 * 400_000L / 16));
    assertThat(plan.filters().get(0)).startsWith("createdDateTime le ");
    assertThat(plan.filters().get(15)).matches("createdDateTime ge \\S+Z");
    assertThat(asked).allSatisfy(u -> assertThat(u).doesNotContain(" gt ").doesNotContain(" lt "));
  }

  @Test
  void aSmallCollectionIsReadOnOneCursorAfterOneCount() throws Exception {
    RangePlanner.Plan plan = plan(created(40_000, 0), 16);
    assertThat(plan.ranged()).isFalse();
    assertThat(plan.reason()).isEqualTo("40000 objects: one cursor");
    assertThat(asked).hasSize(1);
  }

  @Test
  void objectsWithoutCreationTimeMakeTheRangesFallShortSoOneCursorReadsThemAll() throws Exception {
    RangePlanner.Plan plan = plan(created(400_000, 3), 16);
    assertThat(plan.ranged()).isFalse();
    assertThat(plan.reason())
        .contains("hold 400000 of the 400003 objects")
        .contains("objects without createdDateTime")
        .endsWith("one cursor");
  }

  @Test
  void aRangeFilterGraphRefusesFallsBackToOneCursor() throws Exception {
    refuseFilters = true;
    RangePlanner.Plan plan = plan(created(400_000, 0), 16);
    assertThat(plan.ranged()).isFalse();
    assertThat(plan.reason()).startsWith("Graph refused a range count").contains("400");
  }

  @Test
  void oneCursorByConfigurationAsksNothing() throws Exception {
    RangePlanner.Plan plan = plan(created(400_000, 0), 1);
    assertThat(plan.ranged()).isFalse();
    assertThat(asked).isEmpty();
  }

  @Test
  void filtersAreDisjointWholeSecondRanges() {
    assertThat(
            RangePlanner.filters(
                "createdDateTime",
                List.of(
                    Instant.parse("2021-01-01T00:00:00Z"), Instant.parse("2022-01-01T00:00:00Z"))))
        .containsExactly(
            "createdDateTime le 2021-01-01T00:00:00Z",
            "createdDateTime ge 2021-01-01T00:00:01Z and createdDateTime le 2022-01-01T00:00:00Z",
            "createdDateTime ge 2022-01-01T00:00:01Z");
  }
}
