package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import java.util.Objects;

/**
 * An assertion of a case with its weight in the case's score.
 *
 * @param assertion the check
 * @param weight its weight, finite and not negative; an assertion of weight 0 is reported but neither gates the
 *     attempt nor counts in its score
 */
public record WeightedAssertion(Assertion assertion, double weight) {

  /**
   * Validates.
   *
   * @throws InvalidRequestException if the weight is negative, NaN or infinite
   */
  public WeightedAssertion {
    Objects.requireNonNull(assertion, "assertion");
    if (!(weight >= 0) || !Double.isFinite(weight)) {
      throw new InvalidRequestException("assertion '" + assertion.name() + "' needs a weight of 0 or more but got "
          + weight);
    }
  }
}
