package dev.llmops.core.observe;

import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.observe.LineageRecord.Content;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Whether lineage records carry the prompt and answer text. {@link #off()} (the default everywhere) records only
 * hashes; {@link #on(UnaryOperator)} records the text after passing every piece through a redactor. Immutable and
 * thread-safe if the redactor is.
 *
 * <p>The guardrails module's PII redaction plugs in through the core guard contract, which its {@code PiiGuard}
 * implements (core does not depend on guardrails):
 * <pre>{@code
 * ContentPolicy policy = ContentPolicy.redactedBy(PiiGuard.defaults());   // PiiGuard from llmops-guardrails
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

  /**
   * Records text as {@code guard} rewrites it: a {@link GuardVerdict.Rewrite} stores the rewritten text (PII replaced
   * by placeholders), a {@link GuardVerdict.Pass} the text unchanged, any other verdict (block, reask, escalate) only
   * {@code "[withheld by GUARD]"}, since the guard found something it would not let through. A guard that throws
   * makes the capture throw (the record is then not built), rather than store unredacted text.
   *
   * @param guard a redacting guard, such as the guardrails module's {@code PiiGuard} with action REWRITE
   */
  public static ContentPolicy redactedBy(InputGuard guard) {
    Objects.requireNonNull(guard, "guard");
    String withheld = "[withheld by " + guard.name() + "]";
    return on(text -> {
      GuardVerdict verdict = guard.check(InputContext.of(text));
      if (verdict instanceof GuardVerdict.Rewrite rewrite) {
        return rewrite.text();
      }
      return verdict instanceof GuardVerdict.Pass ? text : withheld;
    });
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
