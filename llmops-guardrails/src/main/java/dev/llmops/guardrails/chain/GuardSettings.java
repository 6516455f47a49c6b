package dev.llmops.guardrails.chain;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a chain runs one guard.
 *
 * @param timeout how long the guard may take before it counts as failed, or {@code null} to run it on the
 *     caller's thread without a limit
 * @param failurePolicy what a failure of this guard does, or {@code null} to use the chain's policy
 * @param enforce {@code false} to run the guard in monitor mode: its verdict and findings are recorded and
 *     counted, but it never changes the chain's verdict or text (for trying a guard on live traffic first)
 * @param streaming how the guard sees a streamed answer
 */
public record GuardSettings(
    @Nullable Duration timeout, @Nullable FailurePolicy failurePolicy, boolean enforce, Streaming streaming) {

  /** How an output guard sees an answer that arrives as a token stream. */
  public enum Streaming {
    /**
     * {@link #AT_END} for a {@link WholeAnswerGuard} (JSON Schema, tool calls, grounding), {@link #PER_SENTENCE}
     * for every other guard; the default.
     */
    AUTO,
    /** Checks each completed sentence as it arrives, before it is released to the caller. */
    PER_SENTENCE,
    /** Checks the whole answer once the stream ends (for guards that need all of it, such as a JSON schema). */
    AT_END
  }

  /** Validates the timeout. */
  public GuardSettings {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("a guard timeout must be positive but was " + timeout);
    }
    Objects.requireNonNull(streaming, "streaming");
  }

  /** No timeout, the chain's failure policy, enforced, streaming mode chosen by the guard's kind. */
  public static GuardSettings defaults() {
    return new GuardSettings(null, null, true, Streaming.AUTO);
  }

  /** These settings with a timeout. */
  public GuardSettings withTimeout(Duration timeout) {
    return new GuardSettings(timeout, failurePolicy, enforce, streaming);
  }

  /** These settings with a failure policy of their own. */
  public GuardSettings withFailurePolicy(FailurePolicy policy) {
    return new GuardSettings(timeout, policy, enforce, streaming);
  }

  /** These settings in monitor mode: recorded, never acted on. */
  public GuardSettings monitorOnly() {
    return new GuardSettings(timeout, failurePolicy, false, streaming);
  }

  /** These settings with a streaming mode. */
  public GuardSettings withStreaming(Streaming streaming) {
    return new GuardSettings(timeout, failurePolicy, enforce, streaming);
  }
}
