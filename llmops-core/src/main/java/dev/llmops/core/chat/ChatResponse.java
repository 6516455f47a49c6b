package dev.llmops.core.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A model's answer to one {@link ChatRequest}.
 *
 * @param text the answer text; empty when the model only called tools
 * @param toolCalls the calls the model asked for, in order
 * @param finishReason why generation stopped
 * @param usage the tokens counted by the model or provider, or {@code null} when it reported none
 * @param modelId the model that actually answered, as the provider named it
 * @param latency time from sending the request to the last byte of the answer
 * @param timeToFirstToken time to the first streamed token, or {@code null} for a non-streamed call
 * @param responseId the provider's id for this response, or {@code null}
 */
public record ChatResponse(
    String text,
    List<ToolCall> toolCalls,
    FinishReason finishReason,
    @Nullable TokenUsage usage,
    String modelId,
    Duration latency,
    @Nullable Duration timeToFirstToken,
    @Nullable String responseId) {

  /** Validates and copies. */
  public ChatResponse {
    Objects.requireNonNull(text, "text");
    toolCalls = List.copyOf(toolCalls);
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(modelId, "modelId");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative but was " + latency);
    }
  }

  /** The usage, when the model reported it. */
  public Optional<TokenUsage> reportedUsage() {
    return Optional.ofNullable(usage);
  }

  /** Whether the model asked for at least one tool call. */
  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }
}
