package dev.llmops.inference.generate;

import dev.llmops.core.chat.FinishReason;
import java.time.Duration;
import java.util.Objects;

/**
 * A generated completion.
 *
 * @param text the generated text, ending before a stop sequence
 * @param tokenIds the generated ids, without the end-of-sequence or stop token that ended them
 * @param finishReason {@code STOP} (end of sequence, stop token or stop sequence), {@code LENGTH} (max new tokens or
 *     the context), or {@code CANCELLED}
 * @param promptTokens tokens of the prompt as run (after any truncation)
 * @param timeToFirstToken from submission to the first generated token (the queue wait included); zero when none
 *     was generated
 * @param latency from submission to the end
 * @param preemptions times the sequence was moved out of the cache to make room and recomputed later
 */
public record GenerationResult(
    String text,
    int[] tokenIds,
    FinishReason finishReason,
    int promptTokens,
    Duration timeToFirstToken,
    Duration latency,
    int preemptions) {

  /** Validates and copies. */
  public GenerationResult {
    Objects.requireNonNull(text, "text");
    tokenIds = tokenIds.clone();
    Objects.requireNonNull(finishReason, "finishReason");
  }

  /** The generated ids (a copy). */
  @Override
  public int[] tokenIds() {
    return tokenIds.clone();
  }

  /** Number of generated tokens. */
  public int generatedTokens() {
    return tokenIds.length;
  }
}
