package dev.llmops.core.routing;

import java.time.Duration;

/**
 * Waits between retries. The router takes one so that tests and the simulator can move a fake clock instead of
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits {@code duration}.
   *
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /** {@link Thread#sleep(long, int)}. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
  }
}
