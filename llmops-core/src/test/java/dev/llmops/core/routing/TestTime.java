package dev.llmops.core.routing;

import dev.llmops.core.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A clock, ticker and sleeper that move only when told to (sleeping moves them). Thread-safe. */
final class TestTime extends Clock implements Ticker, Sleeper {

  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong clockOffsetNanos = new AtomicLong();
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /** Moves the wall clock (not the ticker) back, as an NTP step would. */
  void stepClockBack(Duration d) {
    clockOffsetNanos.addAndGet(-d.toNanos());
  }

  @Override
  public long read() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return START.plusNanos(nanos.get() + clockOffsetNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
  }
}
