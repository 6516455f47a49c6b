package dev.llmops.core;

/**
 * A source of nanosecond time for measuring durations (latency, timeouts, windows), independent of the
 * wall clock. Components take one so that tests can drive time with a fake ticker instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds elapsed since an arbitrary fixed origin; only differences are meaningful. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
