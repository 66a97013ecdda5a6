package io.dirpipe.cli.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.cli.run.RunConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code dirpipe run} exposes without being asked: loopback by default, no exception text. */
class RoleHealthTest {
  @Test
  void metricsAndHealthListenOnLoopbackUnlessConfigured() {
    assertThat(new MetricsConfig(Map.of()).host()).isEqualTo("127.0.0.1");
    assertThat(new MetricsConfig(Map.of(MetricsConfig.HOST, "0.0.0.0")).host())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void runListensOn9464AndOtherRolesOnlyWhenAPortIsSet() {
    assertThat(new MetricsConfig(Map.of()).port(RunConfig.DEFAULT_METRICS_PORT)).isEqualTo(9464);
    assertThat(new MetricsConfig(Map.of()).port(null)).isNull();
    assertThat(new MetricsConfig(Map.of(MetricsConfig.PORT, "9500")).port(null)).isEqualTo(9500);
  }

  @Test
  void theOlderRunKeysStillWorkAndTheNewOnesWin() {
    Map<String, String> old =
        Map.of(RunConfig.METRICS_HOST, "0.0.0.0", RunConfig.METRICS_PORT, "0");
    assertThat(new MetricsConfig(old).host()).isEqualTo("0.0.0.0");
    assertThat(new MetricsConfig(old).port(9464)).isZero();
    Map<String, String> both =
        Map.of(RunConfig.METRICS_PORT, "0", MetricsConfig.PORT, "9600", MetricsConfig.HOST, "::1");
    assertThat(new MetricsConfig(both).port(9464)).isEqualTo(9600);
    assertThat(new MetricsConfig(both).host()).isEqualTo("::1");
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
