package io.dirpipe.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The groups-page cursor of a membership run's checkpoint. */
class MembersRunTest {
  @Test
  void theGroupsDoneOutOfOrderAreWrittenAndReadBack() {
    BitSet done = new BitSet();
    done.set(0, 5);
    done.set(9);
    done.set(998);
    String cursor = MembersRun.cursor(done, "https://graph/groups?$skiptoken=x");
    assertThat(cursor).startsWith("d:").endsWith(" https://graph/groups?$skiptoken=x");
    assertThat(MembersRun.done(cursor.split(" ", 2)[0])).isEqualTo(done);
  }

  @Test
  void aCheckpointOfTheEarlierFormNamesTheFirstGroupNotDone() {
    BitSet done = MembersRun.done("17");
    assertThat(done.cardinality()).isEqualTo(17);
    assertThat(done.nextClearBit(0)).isEqualTo(17);
    assertThat(MembersRun.done("0").isEmpty()).isTrue();
  }
}
