package io.dirpipe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code dirpipe run} exposes without being asked: loopback by default, no exception text. */
class RunHealthTest {
  @Test
  void metricsAndHealthListenOnLoopbackUnlessConfigured() {
    assertThat(new RunConfig(Map.of()).getString(RunConfig.METRICS_HOST)).isEqualTo("127.0.0.1");
    assertThat(
            new RunConfig(Map.of(RunConfig.METRICS_HOST, "0.0.0.0"))
                .getString(RunConfig.METRICS_HOST))
        .isEqualTo("0.0.0.0");
  }

  @Test
  void healthNamesTheFailedRolesAndNothingOfTheirErrors() {
    RoleHealth health = new RoleHealth();
    assertThat(health.problem()).isNull();
    health.failed("extract users");
    health.failed("lake");
    assertThat(health.problem())
        .isEqualTo("extract users: failed (see the log); lake: failed (see the log)");
    health.recovered("extract users");
    assertThat(health.problem()).isEqualTo("lake: failed (see the log)");
  }
}
