package dev.llmops.core.routing;

import dev.llmops.core.chat.ChatRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The sampling parameters a {@link Release} pins. Each one that is set replaces the caller's value (stop sequences
 * are added to the caller's), so every
 * answer of a release is produced the same way; the ones left {@code null} keep the caller's.
 *
 * @param temperature sampling temperature, or {@code null}
 * @param topP nucleus sampling mass, or {@code null}
 * @param maxTokens the most output tokens, or {@code null}
 * @param seed the sampling seed, or {@code null}
 * @param stop stop sequences added to the caller's
 */
public record GenerationParameters(
    @Nullable Double temperature, @Nullable Double topP, @Nullable Integer maxTokens, @Nullable Long seed,
    List<String> stop) {

  /** Pins nothing. */
  public static final GenerationParameters NONE = new GenerationParameters(null, null, null, null, List.of());

  /** Validates and copies. */
  public GenerationParameters {
    if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("temperature must be within [0, 2] but was " + temperature);
    }
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be within (0, 1] but was " + topP);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1 but was " + maxTokens);
    }
    stop = List.copyOf(stop);
  }

  /** Pins the temperature. */
  public static GenerationParameters temperature(double temperature) {
    return new GenerationParameters(temperature, null, null, null, List.of());
  }

  /** These parameters with a token limit. */
  public GenerationParameters withMaxTokens(int maxTokens) {
    return new GenerationParameters(temperature, topP, maxTokens, seed, stop);
  }

  /** {@code request} with these parameters applied over it. */
  public ChatRequest applyTo(ChatRequest request) {
    if (this.equals(NONE)) {
      return request;
    }
    ChatRequest.Builder b = request.toBuilder();
    if (temperature != null) {
      b.temperature(temperature);
    }
    if (topP != null) {
      b.topP(topP);
    }
    if (maxTokens != null) {
      b.maxTokens(maxTokens);
    }
    if (seed != null) {
      b.seed(seed);
    }
    if (!stop.isEmpty()) {
      b.stop(stop.toArray(new String[0]));
    }
    return b.build();
  }
}
