package io.dirpipe.transformer.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.entity.RoleEligibilitySchedule;
import io.dirpipe.schemas.entity.RoleExpiration;
import io.dirpipe.schemas.entity.RoleScheduleInfo;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WhoHasTest {
  static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant END = Instant.parse("2026-04-01T00:00:00Z");

  static RoleEligibilitySchedule schedule(RoleScheduleInfo info) {
    return RoleEligibilitySchedule.newBuilder().setId("s").setScheduleInfo(info).build();
  }

  @Test
  void anEligibilityIsInForceFromItsStartUntilItsEnd() {
    RoleEligibilitySchedule bounded =
        schedule(new RoleScheduleInfo(START, new RoleExpiration("afterDateTime", END, null)));
    assertThat(WhoHas.inForce(bounded, START.minusSeconds(1))).isFalse();
    assertThat(WhoHas.inForce(bounded, START)).isTrue();
    assertThat(WhoHas.inForce(bounded, END.minusMillis(1))).isTrue();
    assertThat(WhoHas.inForce(bounded, END)).isFalse();

    RoleEligibilitySchedule open =
        schedule(new RoleScheduleInfo(START, new RoleExpiration("noExpiration", null, null)));
    assertThat(WhoHas.inForce(open, END.plusSeconds(86_400 * 365))).isTrue();
    assertThat(WhoHas.inForce(schedule(null), START)).as("no schedule: always").isTrue();
  }
}
