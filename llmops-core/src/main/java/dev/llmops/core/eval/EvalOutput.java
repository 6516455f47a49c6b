package dev.llmops.core.eval;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.routing.RoutedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Assertion} checks: one answer, what the case expected of it, and how it was produced.
 *
 * @param caseId the case's id (for an online evaluation, the router's request id)
 * @param text the answer text
 * @param response the model's whole answer (usage, finish reason), or {@code null} when only the text is known
 * @param expected the case's expected answer, or {@code null}
 * @param context the passages the answer should be grounded in and may cite; empty when none
 * @param latency how long the answer took
 * @param cost what the answer cost, or {@code null} when the target could not say (a model without a price table)
 * @param routed the router's whole answer when the target was a router release, else {@code null}
 */
public record EvalOutput(
    String caseId, String text, @Nullable ChatResponse response, @Nullable String expected,
    List<ContextPassage> context, Duration latency, @Nullable Double cost, @Nullable RoutedResponse routed) {

  /** Validates and copies. */
  public EvalOutput {
    Objects.requireNonNull(caseId, "caseId");
    Objects.requireNonNull(text, "text");
    context = List.copyOf(context);
    Objects.requireNonNull(latency, "latency");
  }

  /**
   * Starts an output for {@code text}, with no expected value, no context, zero latency and unknown cost; for
   * checking assertions directly.
   */
  public static Builder builder(String text) {
    return new Builder(text);
  }

  /** Builds an {@link EvalOutput}. Not thread-safe. */
  public static final class Builder {
    private final String text;
    private String caseId = "case";
    private @Nullable ChatResponse response;
    private @Nullable String expected;
    private final List<ContextPassage> context = new ArrayList<>();
    private Duration latency = Duration.ZERO;
    private @Nullable Double cost;
    private @Nullable RoutedResponse routed;

    private Builder(String text) {
      this.text = Objects.requireNonNull(text, "text");
    }

    /** The case id (default {@code "case"}). */
    public Builder caseId(String caseId) {
      this.caseId = caseId;
      return this;
    }

    /** The model's whole answer. */
    public Builder response(@Nullable ChatResponse response) {
      this.response = response;
      return this;
    }

    /** The expected answer. */
    public Builder expected(@Nullable String expected) {
      this.expected = expected;
      return this;
    }

    /** Adds context passages. */
    public Builder context(ContextPassage... passages) {
      context.addAll(List.of(passages));
      return this;
    }

    /** The latency. */
    public Builder latency(Duration latency) {
      this.latency = latency;
      return this;
    }

    /** The cost. */
    public Builder cost(@Nullable Double cost) {
      this.cost = cost;
      return this;
    }

    /** The router's answer. */
    public Builder routed(@Nullable RoutedResponse routed) {
      this.routed = routed;
      return this;
    }

    /** The output. */
    public EvalOutput build() {
      return new EvalOutput(caseId, text, response, expected, context, latency, cost, routed);
    }
  }
}
