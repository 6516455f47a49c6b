package dev.llmops.core.routing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** The calendar period a {@link Budget} resets after, in UTC. */
public enum BudgetPeriod {
  /** From the start of each UTC hour. */
  HOUR,
  /** From midnight UTC. */
  DAY,
  /** From the first of each month, midnight UTC. */
  MONTH;

  /** The start of the period that {@code time} falls in. */
  public Instant start(Instant time) {
    ZonedDateTime utc = time.atZone(ZoneOffset.UTC);
    return switch (this) {
      case HOUR -> utc.truncatedTo(ChronoUnit.HOURS).toInstant();
      case DAY -> utc.truncatedTo(ChronoUnit.DAYS).toInstant();
      case MONTH -> utc.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
    };
  }
}
