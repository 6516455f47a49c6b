package dev.llmops.core.routing;

import dev.llmops.core.chat.TokenUsage;

/**
 * What a deployment charges, per million tokens. Cached input tokens are charged at their own price and not
 * again as input; reasoning tokens are part of the output tokens (as OpenAI counts them) and charged as output.
 *
 * @param inputPerMillion the price of a million uncached input tokens
 * @param cachedInputPerMillion the price of a million input tokens served from the provider's prompt cache
 * @param outputPerMillion the price of a million output tokens
 */
public record PriceTable(double inputPerMillion, double cachedInputPerMillion, double outputPerMillion) {

  /** A deployment that costs nothing (a local model, a test fake). */
  public static final PriceTable FREE = new PriceTable(0, 0, 0);

  /** Validates the prices. */
  public PriceTable {
    check("inputPerMillion", inputPerMillion);
    check("cachedInputPerMillion", cachedInputPerMillion);
    check("outputPerMillion", outputPerMillion);
  }

  /** Input and output prices, with cached input at the input price. */
  public static PriceTable of(double inputPerMillion, double outputPerMillion) {
    return new PriceTable(inputPerMillion, inputPerMillion, outputPerMillion);
  }

  /** The cost of one call's usage. */
  public double cost(TokenUsage usage) {
    long uncached = Math.max(0, (long) usage.inputTokens() - usage.cachedInputTokens());
    return (uncached * inputPerMillion + usage.cachedInputTokens() * cachedInputPerMillion
        + (long) usage.outputTokens() * outputPerMillion) / 1_000_000.0;
  }

  private static void check(String name, double price) {
    if (!(price >= 0) || !Double.isFinite(price)) {
      throw new IllegalArgumentException(name + " must be a price of 0 or more but was " + price);
    }
  }
}
