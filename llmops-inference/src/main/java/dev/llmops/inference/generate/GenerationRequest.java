package dev.llmops.inference.generate;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One completion to generate: a prompt (text, tokenized as is with no chat template, or token ids), how to sample,
 * and optionally a LoRA adapter. Immutable.
 *
 * @param prompt the prompt text, or {@code null} when {@code promptTokens} are given
 * @param promptTokens the prompt as token ids, or {@code null} when {@code prompt} is given
 * @param sampling how to generate
 * @param adapter the name of a LoRA adapter loaded into the model, or {@code null} for the base model
 * @param truncatePrompt whether a prompt that does not leave room for {@code maxNewTokens} in the context is cut
 *     from the front (keeping its end); otherwise it is refused with a {@code ContextTooLongException}
 */
public record GenerationRequest(
    @Nullable String prompt,
    int @Nullable [] promptTokens,
    SamplingParameters sampling,
    @Nullable String adapter,
    boolean truncatePrompt) {

  /** Validates and copies. */
  public GenerationRequest {
    Objects.requireNonNull(sampling, "sampling");
    if ((prompt == null) == (promptTokens == null)) {
      throw new IllegalArgumentException("give either a prompt text or prompt token ids, not both or neither");
    }
    if (promptTokens != null) {
      promptTokens = promptTokens.clone();
      if (promptTokens.length == 0) {
        throw new IllegalArgumentException("the prompt must have at least one token");
      }
    }
    if (prompt != null && prompt.isEmpty()) {
      throw new IllegalArgumentException("the prompt must not be empty");
    }
    if (adapter != null && adapter.isBlank()) {
      throw new IllegalArgumentException("adapter must not be blank; leave it null for the base model");
    }
  }

  /** Generates after {@code prompt} (no chat template). */
  public static GenerationRequest of(String prompt, SamplingParameters sampling) {
    return new GenerationRequest(prompt, null, sampling, null, false);
  }

  /** Generates after the token ids {@code promptTokens}. */
  public static GenerationRequest ofTokens(int[] promptTokens, SamplingParameters sampling) {
    return new GenerationRequest(null, promptTokens, sampling, null, false);
  }

  /** A copy that runs with the named LoRA adapter ({@code null}: the base model). */
  public GenerationRequest withAdapter(@Nullable String name) {
    return new GenerationRequest(prompt, promptTokens, sampling, name, truncatePrompt);
  }

  /** A copy that cuts an overlong prompt from the front instead of refusing it. */
  public GenerationRequest withPromptTruncation(boolean truncate) {
    return new GenerationRequest(prompt, promptTokens, sampling, adapter, truncate);
  }

  /** The prompt token ids, when given as ids (a copy). */
  @Override
  public int @Nullable [] promptTokens() {
    return promptTokens == null ? null : promptTokens.clone();
  }
}
