package io.dirpipe.bench;

import io.dirpipe.core.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process run measured from outside: wall seconds around it, and its CPU seconds (user + system
 * of it and its children) from the shell's {@code times}, so JVM or Node start-up is in.
 *
 * @param output what it printed on stdout
 */
record MeasuredProcess(double wallSeconds, double cpuSeconds, String output) {
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

  /**
   * Runs {@code command} with exactly {@code env} as its dirpipe/Azure configuration; its stdout
   * and stderr go to {@code <work>/<name>.out|.log}.
   */
  static MeasuredProcess run(List<String> command, Map<String, String> env, Path work, String name)
      throws IOException, InterruptedException {
    Path out = work.resolve(name + ".out");
    Path err = work.resolve(name + ".log");
    List<String> shell =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                "\"$@\" >\"$BENCH_OUT\" 2>\"$BENCH_ERR\"; rc=$?; times; exit $rc",
                "bash"));
    shell.addAll(command);
    ProcessBuilder pb = ChildJvm.configure(new ProcessBuilder(shell), env);
    pb.environment().put("BENCH_OUT", out.toString());
    pb.environment().put("BENCH_ERR", err.toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    String times = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not end in 60 minutes: see " + err);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    if (p.exitValue() != 0) {
      throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "): see " + err);
    }
    // the second line of `times`: user and system time of the shell's children
    Matcher m = TIMES.matcher(times.lines().skip(1).findFirst().orElse(""));
    if (!m.find()) {
      throw new IllegalStateException("No child CPU times in the shell's output: " + times);
    }
    double cpu =
        Integer.parseInt(m.group(1)) * 60
            + Double.parseDouble(m.group(2))
            + Integer.parseInt(m.group(3)) * 60
            + Double.parseDouble(m.group(4));
    return new MeasuredProcess(wall, cpu, Files.readString(out));
  }
}
