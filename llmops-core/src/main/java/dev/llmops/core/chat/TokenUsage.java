package dev.llmops.core.chat;

/**
 * Tokens a call consumed, as the model or provider counted them.
 *
 * @param inputTokens prompt tokens, including cached ones
 * @param outputTokens completion tokens, including reasoning tokens
 * @param cachedInputTokens the part of {@code inputTokens} served from the provider's prompt cache
 *     (usually billed at a lower rate)
 * @param reasoningTokens the part of {@code outputTokens} spent on hidden reasoning
 */
public record TokenUsage(int inputTokens, int outputTokens, int cachedInputTokens, int reasoningTokens) {

  /** Validates that counts are non-negative and that the parts fit in their wholes. */
  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative: input=" + inputTokens
          + ", output=" + outputTokens + ", cached=" + cachedInputTokens + ", reasoning=" + reasoningTokens);
    }
    if (cachedInputTokens > inputTokens) {
      throw new IllegalArgumentException(
          "cached input tokens (" + cachedInputTokens + ") exceed input tokens (" + inputTokens + ")");
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException(
          "reasoning tokens (" + reasoningTokens + ") exceed output tokens (" + outputTokens + ")");
    }
  }

  /** Usage without cache or reasoning detail. */
  public static TokenUsage of(int inputTokens, int outputTokens) {
    return new TokenUsage(inputTokens, outputTokens, 0, 0);
  }

  /** Input plus output tokens. */
  public int totalTokens() {
    return inputTokens + outputTokens;
  }

  /** Sums two usages, for example over the steps of an agent. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens, reasoningTokens + other.reasoningTokens);
  }
}
