package dev.llmops.core.routing;

import java.time.Duration;

/**
 * One step of a {@link CanaryPlan}: the canary gets {@code percent} of the route's traffic until it has been there
 * for at least {@code minDuration} and has answered at least {@code minSamples} calls, and every metric passed.
 *
 * @param percent the canary's share, in (0, 100), in steps of 0.01
 * @param minDuration the shortest time at this step
 * @param minSamples the fewest canary calls (and, per metric, samples on each side) before a promotion
 */
public record CanaryStep(double percent, Duration minDuration, long minSamples) {

  /** Validates the values. */
  public CanaryStep {
    if (!(percent > 0 && percent < 100)) {
      throw new IllegalArgumentException("a canary step's share must be within (0, 100) percent but was " + percent
          + " (promotion after the last step sends 100%)");
    }
    if (Math.abs(Math.round(percent * 100) - percent * 100) > 1e-6) {
      throw new IllegalArgumentException("a canary step's share is given in steps of 0.01% but was " + percent);
    }
    if (minDuration.isNegative()) {
      throw new IllegalArgumentException("a canary step's minimum duration must not be negative but was " + minDuration);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("a canary step needs at least 1 sample but was given " + minSamples);
    }
  }

  /** The share in basis points of the 10,000 buckets. */
  public int basisPoints() {
    return (int) Math.round(percent * 100);
  }
}
