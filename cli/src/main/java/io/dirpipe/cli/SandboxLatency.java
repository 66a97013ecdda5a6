package io.dirpipe.cli;

import io.dirpipe.sandbox.http.Faults;
import picocli.CommandLine;

/**
 * {@code dirpipe sandbox --latency}: how long each Graph answer takes, a fixed cost plus a cost per
 * KB of body (bandwidth). The {@code graph} preset is calibrated on FACTS §7: a page of 999 users
 * with dirpipe's {@code $select} (about 830 KB) comes back in about 1 s.
 */
record SandboxLatency(long fixedMs, double perKbMs) {
  static final long GRAPH_FIXED_MS = 200;
  static final double GRAPH_PER_KB_MS = 1.0;

  static SandboxLatency parse(String value, CommandLine cmd) {
    if (value.equals("off")) {
      return new SandboxLatency(0, 0);
    }
    if (value.equals("graph")) {
      return new SandboxLatency(GRAPH_FIXED_MS, GRAPH_PER_KB_MS);
    }
    String[] parts = value.split(",", -1);
    try {
      long fixed = Long.parseLong(parts[0].trim());
      double perKb = parts.length > 1 ? Double.parseDouble(parts[1].trim()) : 0;
      if (parts.length <= 2 && fixed >= 0 && perKb >= 0) {
        return new SandboxLatency(fixed, perKb);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CommandLine.ParameterException(
        cmd,
        "--latency must be off, graph, or MS[,MS_PER_KB] with numbers of zero or more (200,1.0),"
            + " not '"
            + value
            + "'.");
  }

  void applyTo(Faults faults) {
    faults.latencyMs = fixedMs;
    faults.latencyPerKbMs = perKbMs;
  }
}
