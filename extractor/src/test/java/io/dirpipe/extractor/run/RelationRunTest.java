package io.dirpipe.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The groups-page cursor of a membership run's checkpoint. */
class RelationRunTest {
  @Test
  void theGroupsDoneOutOfOrderOnEachOpenPageAreWrittenAndReadBack() {
    BitSet first = new BitSet();
    first.set(0, 5);
    first.set(9);
    first.set(998);
    BitSet second = new BitSet();
    second.set(3);
    BitSet third = new BitSet();
    String cursor =
        RelationRun.cursor(List.of(first, second, third), "https://graph/groups?$skiptoken=x");
    assertThat(cursor).startsWith("d:").endsWith(" https://graph/groups?$skiptoken=x");
    assertThat(RelationRun.done(cursor.split(" ", 2)[0])).containsExactly(first, second, third);
  }

  @Test
  void aCursorBetweenGroupsPagesHasNoGroupDone() {
    String cursor = RelationRun.cursor(List.of(), "https://graph/groups?$skiptoken=y");
    assertThat(cursor).isEqualTo("d: https://graph/groups?$skiptoken=y");
    assertThat(RelationRun.done("d:")).containsExactly(new BitSet());
  }

  @Test
  void aCheckpointOfAnEarlierFormIsReadAsOneOpenPage() {
    List<BitSet> done = RelationRun.done("17");
    assertThat(done).hasSize(1);
    assertThat(done.get(0).cardinality()).isEqualTo(17);
    assertThat(done.get(0).nextClearBit(0)).isEqualTo(17);
    assertThat(RelationRun.done("0").get(0).isEmpty()).isTrue();
    BitSet one = new BitSet();
    one.set(2);
    assertThat(RelationRun.done("d:04")).containsExactly(one);
  }
}
