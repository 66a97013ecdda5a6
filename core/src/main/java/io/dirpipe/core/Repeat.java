package io.dirpipe.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a task again and again with a pause between the end of one run and the start of the next
 * ({@code extract --follow --interval}, {@code run.interval}), until {@link #stop()}. A stop during
 * the pause ends it at once; a stop during a run lets the run finish and starts no other.
 */
public final class Repeat {
  /** One run; its exception ends the repetition. */
  public interface Task {
    void run() throws Exception;
  }

  private final Time time;
  private final Duration pause;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * @param pause the wait between runs; null runs the task once
   */
  public Repeat(Time time, Duration pause) {
    this.time = time;
    this.pause = pause;
  }

  /** Runs the task until {@link #stop()} (once when there is no pause). */
  public void run(Task task) throws Exception {
    do {
      task.run();
    } while (pause != null && !time.await(stopped, pause));
  }

  /** Ends {@link #run} after the current run, or at once during a pause; any thread. */
  public void stop() {
    stopped.countDown();
  }

  public boolean stopped() {
    return stopped.getCount() == 0;
  }
}
