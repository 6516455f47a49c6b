package dev.llmops.core.routing.simulation;

import dev.llmops.core.Ticker;
import dev.llmops.core.routing.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Simulated time for the router: one object that is its {@link Clock}, its {@link Ticker} and its {@link Sleeper},
 * and that moves only when told to, so a simulated hour passes in milliseconds and every run is repeatable.
 *
 * <ul>
 *   <li>The clock ({@link #instant()}) is the arrival time of the current request: {@link #advanceTo} moves it;
 *       latencies and backoff sleeps do not, so every decision of a call is dated at the call's arrival.</li>
 *   <li>The ticker ({@link #read()}) is the simulated time elapsed since the start in nanoseconds: it moves with
 *       the clock and also by every simulated latency ({@link #advance}) and every backoff sleep
 *       ({@link #sleep}), so the router measures exactly the latency a {@link SimulatedModel} drew.</li>
 *   <li>{@link #sleep} never blocks: it only moves the ticker.</li>
 * </ul>
 *
 * <p>Thread-safe, but meant for one simulation thread: with several threads the interleaving, and so the result,
 * is no longer repeatable.
 */
public final class SimulatedClock extends Clock implements Ticker, Sleeper {

  private final Instant start;
  private Instant now;
  private long tickerNanos;
  private long sleptNanos;

  /**
   * Starts simulated time at {@code start}; the ticker reads 0.
   *
   * @throws NullPointerException when {@code start} is null
   */
  public SimulatedClock(Instant start) {
    this.start = Objects.requireNonNull(start, "start");
    this.now = start;
  }

  /** Where the simulation started. */
  public Instant start() {
    return start;
  }

  /**
   * Moves the clock to {@code arrival} and the ticker forward by as much.
   *
   * @throws IllegalArgumentException when {@code arrival} is before the clock's current time (time never runs back)
   */
  public synchronized void advanceTo(Instant arrival) {
    if (arrival.isBefore(now)) {
      throw new IllegalArgumentException("simulated time only moves forward, but " + arrival + " is before " + now);
    }
    tickerNanos += Duration.between(now, arrival).toNanos();
    now = arrival;
  }

  /**
   * Moves the ticker (not the clock) forward by {@code elapsed}, as a simulated call's latency does.
   *
   * @throws IllegalArgumentException when {@code elapsed} is negative
   */
  public synchronized void advance(Duration elapsed) {
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("simulated time only moves forward, but was asked to move by " + elapsed);
    }
    tickerNanos += elapsed.toNanos();
  }

  /** How long the router has waited in backoff sleeps in all. */
  public synchronized Duration slept() {
    return Duration.ofNanos(sleptNanos);
  }

  /** The arrival time of the current request. */
  @Override
  public synchronized Instant instant() {
    return now;
  }

  /** Always UTC. */
  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock: simulated time has no zone of its own, instants are UTC. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** Simulated nanoseconds since the start: arrival gaps, latencies and sleeps. */
  @Override
  public synchronized long read() {
    return tickerNanos;
  }

  /**
   * Moves the ticker forward by {@code duration} at once; never blocks.
   *
   * @throws IllegalArgumentException when {@code duration} is negative
   */
  @Override
  public synchronized void sleep(Duration duration) {
    advance(duration);
    sleptNanos += duration.toNanos();
  }
}
