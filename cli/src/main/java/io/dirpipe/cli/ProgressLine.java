package io.dirpipe.cli;

import io.dirpipe.extractor.run.Progress;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One line on the terminal's stderr, rewritten every second while runs go on: records, rate, pages
 * and 429s per collection. Silent when stdout is not a terminal or JSON was asked for.
 */
final class ProgressLine implements AutoCloseable {
  private final Thread painter;
  private final PrintStream err = System.err;

  private ProgressLine(Supplier<List<Progress>> source) {
    painter =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(1_000);
                  paint(source.get());
                }
              } catch (InterruptedException e) {
                paint(source.get());
                err.println();
              }
            },
            "progress");
    painter.setDaemon(true);
    painter.start();
  }

  /** A progress line when a person is watching; otherwise nothing. */
  static AutoCloseable onTerminal(boolean json, Supplier<List<Progress>> source) {
    return System.console() != null && !json ? new ProgressLine(source) : () -> {};
  }

  private void paint(List<Progress> runs) {
    if (runs.isEmpty()) {
      return;
    }
    String line =
        runs.stream()
            .map(
                p ->
                    String.format(
                        Locale.ROOT,
                        "%s %,d (%,.0f/s, %d pages%s)",
                        p.collection(),
                        p.records(),
                        p.perSecond(),
                        p.pages(),
                        p.throttled() > 0 ? ", " + p.throttled() + " x 429" : ""))
            .collect(Collectors.joining(" | "));
    err.print("\r" + line + "\033[K");
    err.flush();
  }

  @Override
  public void close() {
    painter.interrupt();
    try {
      painter.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
