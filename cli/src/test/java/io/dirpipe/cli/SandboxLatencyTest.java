package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.sandbox.http.Faults;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SandboxLatencyTest {
  private final CommandLine cmd = new CommandLine(new SandboxCommand());

  @Test
  void graphPresetTakesAboutASecondForAPageOf999Users() {
    SandboxLatency graph = SandboxLatency.parse("graph", cmd);
    // a page of 999 users with dirpipe's $select is about 830 KB (measured on the sandbox)
    double pageMs = graph.fixedMs() + graph.perKbMs() * 830;
    assertThat(pageMs).isBetween(900.0, 1_100.0);
  }

  @Test
  void fixedAndPerKbAreAppliedToTheFaults() {
    Faults faults = new Faults();
    SandboxLatency.parse("150,0.5", cmd).applyTo(faults);
    assertThat(faults.latencyMs).isEqualTo(150);
    assertThat(faults.latencyPerKbMs).isEqualTo(0.5);
    SandboxLatency.parse("off", cmd).applyTo(faults);
    assertThat(faults.latencyMs).isZero();
    assertThat(faults.latencyPerKbMs).isZero();
    assertThat(SandboxLatency.parse("40", cmd)).isEqualTo(new SandboxLatency(40, 0));
  }

  @Test
  void aBadValueNamesTheOptionAndWhatItTakes() {
    for (String bad : new String[] {"fast", "-1", "10,x", "1,2,3", ""}) {
      assertThatThrownBy(() -> SandboxLatency.parse(bad, cmd))
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessageContaining("--latency must be off, graph, or MS[,MS_PER_KB]")
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
