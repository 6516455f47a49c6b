package dev.llmops.core.observe;

import dev.llmops.core.observe.LineageRecord.Content;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Whether lineage records carry the prompt and answer text. {@link #off()} (the default everywhere) records only
 * hashes; {@link #on(UnaryOperator)} records the text after passing every piece through a redactor. Immutable and
 * thread-safe if the redactor is.
 *
 * <p>The guardrails module's PII redaction plugs in as the redactor (core does not depend on guardrails):
 * <pre>{@code
 * PiiGuard pii = ...;                                            // from llmops-guardrails
 * ContentPolicy policy = ContentPolicy.on(text -> pii.redact(text));
 * }</pre>
 * Use {@code ContentPolicy.on(UnaryOperator.identity())} only where raw text may be stored.
 */
public final class ContentPolicy {

  private static final ContentPolicy OFF = new ContentPolicy(null);

  private final @Nullable UnaryOperator<String> redactor;

  private ContentPolicy(@Nullable UnaryOperator<String> redactor) {
    this.redactor = redactor;
  }

  /** Records no text. */
  public static ContentPolicy off() {
    return OFF;
  }

  /**
   * Records prompt and answer text, each passed through {@code redactor} first.
   *
   * @param redactor turns a text into the text to store (for example with PII masked); must not return {@code null}
   */
  public static ContentPolicy on(UnaryOperator<String> redactor) {
    return new ContentPolicy(Objects.requireNonNull(redactor, "redactor"));
  }

  /** Whether text is recorded. */
  public boolean isOn() {
    return redactor != null;
  }

  /**
   * The content to record: {@code null} when the policy is off or both texts are {@code null}, else the redacted
   * texts.
   *
   * @throws NullPointerException if the redactor returned {@code null}
   */
  public @Nullable Content capture(@Nullable String prompt, @Nullable String answer) {
    if (redactor == null || (prompt == null && answer == null)) {
      return null;
    }
    return new Content(redact(prompt), redact(answer));
  }

  private @Nullable String redact(@Nullable String text) {
    if (text == null || redactor == null) {
      return null;
    }
    return Objects.requireNonNull(redactor.apply(text), "the content redactor returned null");
  }

  @Override
  public String toString() {
    return redactor == null ? "ContentPolicy[off]" : "ContentPolicy[on]";
  }
}
