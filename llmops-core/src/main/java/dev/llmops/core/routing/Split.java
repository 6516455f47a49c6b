package dev.llmops.core.routing;

import dev.llmops.core.InvalidRequestException;

/**
 * A release's share of a route's traffic. Weights are relative: a route's weights need not add up to 100, they are
 * normalised to shares of 10,000 buckets (largest remainder first), so {@code 3} and {@code 1} mean 75% and 25%.
 *
 * @param release the release's name
 * @param weight its relative weight; positive and finite
 */
public record Split(String release, double weight) {

  /** Validates the fields. */
  public Split {
    Names.check("release", release);
    if (!(weight > 0) || !Double.isFinite(weight)) {
      throw new InvalidRequestException("release '" + release + "' needs a positive weight but got " + weight
          + " (leave a release out of the route to send it nothing)");
    }
  }
}
