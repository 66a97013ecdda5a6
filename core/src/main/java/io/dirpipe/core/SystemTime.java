package io.dirpipe.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@link Time#SYSTEM}: {@link System#nanoTime()}, {@link Instant#now()}, {@link Thread#sleep}. */
final class SystemTime implements Time {
  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.compareTo(Duration.ZERO) > 0) {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }
  }

  @Override
  public boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException {
    return latch.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }
}
