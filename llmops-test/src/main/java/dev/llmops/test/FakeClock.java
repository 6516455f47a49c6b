package dev.llmops.test;

import dev.llmops.core.Ticker;
import dev.llmops.core.routing.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock, ticker and retry sleeper that stand still until a test moves them. The wall-clock time and the ticker move
 * together: {@link #advance(Duration)} adds the same amount to both. Thread-safe; views from
 * {@link #withZone(ZoneId)} share the same time.
 */
public final class FakeClock extends Clock implements Ticker, Sleeper {

  /** The instant a clock made with {@link #create()} starts at. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Instant origin;
  private final AtomicLong elapsedNanos;
  private final ZoneId zone;

  private FakeClock(Instant origin, AtomicLong elapsedNanos, ZoneId zone) {
    this.origin = origin;
    this.elapsedNanos = elapsedNanos;
    this.zone = zone;
  }

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public static FakeClock create() {
    return at(DEFAULT_START);
  }

  /** A clock at {@code start}, in UTC. */
  public static FakeClock at(Instant start) {
    return new FakeClock(start, new AtomicLong(), ZoneOffset.UTC);
  }

  /**
   * Moves time forward.
   *
   * @param amount how far; must not be negative
   * @return this clock
   */
  public FakeClock advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a fake clock only moves forward, but was asked to move " + amount);
    }
    elapsedNanos.addAndGet(amount.toNanos());
    return this;
  }

  /**
   * "Sleeps" by moving time forward at once, so a {@code Router} built with {@code .sleeper(fakeClock)} retries
   * without waiting.
   */
  @Override
  public void sleep(Duration duration) {
    advance(duration);
  }

  /** How much time has passed since the clock was created. */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos.get());
  }

  @Override
  public long read() {
    return elapsedNanos.get();
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(elapsedNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public FakeClock withZone(ZoneId zone) {
    return new FakeClock(origin, elapsedNanos, zone);
  }

  @Override
  public String toString() {
    return "FakeClock[" + instant() + ", " + zone + "]";
  }
}
