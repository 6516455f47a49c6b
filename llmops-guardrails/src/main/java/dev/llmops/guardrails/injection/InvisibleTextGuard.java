package dev.llmops.guardrails.injection;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Finds characters that hide or reorder text: zero-width spaces and joiners, bidirectional embeddings,
 * overrides and isolates ("Trojan Source"), Unicode tag characters (invisible ASCII), stray variation
 * selectors, direction marks outside right-to-left text, and invisible control and filler characters. By default
 * it strips them ({@link InvisibleTextAction#STRIP}); it can block or only report instead.
 *
 * <p>What ordinary text needs is left alone: zero-width joiners and non-joiners next to non-ASCII letters or
 * emoji (emoji sequences, Indic and Persian script), one variation selector after an emoji, ideograph or in a
 * keycap, a byte-order mark at the start, direction marks next to right-to-left letters. Each finding's type is
 * the kind ({@code TAG_CHARACTERS}, {@code BIDI_CONTROL}, {@code VARIATION_SELECTOR}, {@code DIRECTION_MARK},
 * {@code ZERO_WIDTH}, {@code INVISIBLE_CONTROL}) and its span covers a run of such characters. Checks both inputs
 * and outputs. Linear in the text length; immutable and thread-safe.
 */
public final class InvisibleTextGuard implements InputGuard, OutputGuard {

  /** The default message of a block. */
  public static final String DEFAULT_BLOCK_MESSAGE = "Sorry, this text can't be processed.";

  private final InvisibleTextAction action;
  private final String blockMessage;

  private InvisibleTextGuard(Builder b) {
    this.action = b.action;
    this.blockMessage = b.blockMessage;
  }

  /** The guard that strips hidden characters. */
  public static InvisibleTextGuard defaults() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "invisible-text";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public GuardVerdict check(InputContext input) {
    return check(input.text());
  }

  @Override
  public GuardVerdict check(OutputContext output) {
    return check(output.text());
  }

  private GuardVerdict check(String text) {
    List<HiddenCharacters.Run> runs = HiddenCharacters.find(text);
    if (runs.isEmpty()) {
      return GuardVerdict.pass();
    }
    List<Finding> findings = new ArrayList<>(Math.min(runs.size(), 1024));
    double risk = 0;
    for (HiddenCharacters.Run run : runs) {
      risk = Math.max(risk, run.kind().score);
      if (findings.size() < 1024) {
        findings.add(new Finding(run.kind().name(), new TextSpan(run.start(), run.end()), run.kind().score,
            run.count() + " " + run.kind().detail));
      }
    }
    return switch (action) {
      case STRIP -> GuardVerdict.rewrite(strip(text, runs), risk, findings);
      case BLOCK -> GuardVerdict.block(blockMessage, risk, findings);
      case REPORT -> new GuardVerdict.Pass(risk, findings);
    };
  }

  /** {@code text} with the hidden characters this guard finds removed; the text itself when there are none. */
  public String strip(String text) {
    return strip(text, HiddenCharacters.find(text));
  }

  private static String strip(String text, List<HiddenCharacters.Run> runs) {
    if (runs.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (HiddenCharacters.Run run : runs) {
      out.append(text, from, run.start());
      from = run.end();
    }
    out.append(text, from, text.length());
    return out.toString();
  }

  @Override
  public String toString() {
    return "InvisibleTextGuard[action=" + action + "]";
  }

  /** Builds an {@link InvisibleTextGuard}. Not thread-safe. */
  public static final class Builder {
    private InvisibleTextAction action = InvisibleTextAction.STRIP;
    private String blockMessage = DEFAULT_BLOCK_MESSAGE;

    private Builder() {}

    /** What to do with hidden characters; default {@link InvisibleTextAction#STRIP}. */
    public Builder action(InvisibleTextAction value) {
      this.action = Objects.requireNonNull(value, "action");
      return this;
    }

    /** The action by name ({@code strip}, {@code block}, {@code report}; case-insensitive). */
    public Builder action(String value) {
      try {
        return action(InvisibleTextAction.valueOf(value.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown invisible-text action '" + value + "'; known: strip, block, report",
            e);
      }
    }

    /** What a block tells the user; must not be blank. */
    public Builder blockMessage(String value) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("blockMessage must not be blank");
      }
      this.blockMessage = value;
      return this;
    }

    /** Builds the guard. */
    public InvisibleTextGuard build() {
      return new InvisibleTextGuard(this);
    }
  }
}
