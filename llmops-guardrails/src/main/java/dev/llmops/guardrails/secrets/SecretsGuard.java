package dev.llmops.guardrails.secrets;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Finds cloud and SaaS credentials in what goes into and comes out of a model: AWS, Google Cloud, Azure, GitHub,
 * GitLab, Slack, Stripe, OpenAI- and Anthropic-style keys, JSON Web Tokens, PEM private keys, passwords in URLs,
 * {@code password=...}/{@code api_key: ...} assignments, and high-entropy strings next to a secret-like word (see
 * {@link SecretType} for the list and {@link EntropyMode} for the entropy rule).
 *
 * <p>Findings at or above {@link Builder#minScore(double) the action score} trigger the configured action:
 * {@link SecretAction#REDACT} replaces each secret with {@code [REDACTED:TYPE]} (the default for both input and
 * output: blocking does not un-send a secret the user already typed, while redaction keeps it from reaching the
 * model provider, the logs and the answer, and the request stays useful), {@link SecretAction#BLOCK} stops the
 * request, {@link SecretAction#REPORT} passes with findings. Findings below the action score (by default only
 * Stripe publishable and test keys and other low-risk types) are reported in a pass or alongside the action.
 * Finding spans cover the secret value only (for {@code password=hunter22} only {@code hunter22}); details
 * never contain it.
 *
 * <p>Immutable and thread-safe. Every pattern is linear-time; a check is linear in the text length.
 *
 * <pre>{@code
 * SecretsGuard guard = SecretsGuard.builder()
 *     .inputAction(SecretAction.BLOCK)
 *     .disabledTypes(List.of("HIGH_ENTROPY_STRING"))
 *     .build();
 * }</pre>
 */
public final class SecretsGuard implements InputGuard, OutputGuard {

  private static final String NAME = "secrets";
  private static final String VERSION = "1";

  private final SecretAction inputAction;
  private final SecretAction outputAction;
  private final double minScore;
  private final String placeholder;
  private final String blockMessage;
  private final SecretScanner scanner;

  private SecretsGuard(Builder b) {
    this.inputAction = b.inputAction;
    this.outputAction = b.outputAction;
    this.minScore = b.minScore;
    this.placeholder = b.placeholder;
    this.blockMessage = b.blockMessage;
    this.scanner = new SecretScanner(b.enabled, b.entropyMode, b.keywordEntropy, b.longEntropy, b.longLength,
        b.maxLongLength);
  }

  /** A guard with every type enabled, redaction for input and output, and the builder's other defaults. */
  public static SecretsGuard defaults() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public GuardVerdict check(InputContext input) {
    return decide(input.text(), inputAction);
  }

  @Override
  public GuardVerdict check(OutputContext output) {
    return decide(output.text(), outputAction);
  }

  /**
   * The secrets in {@code text} as findings, in text order, whatever the action.
   *
   * @param text the text to scan
   * @return one finding per secret, with the span of the secret value
   */
  public List<Finding> scan(String text) {
    List<Finding> findings = new ArrayList<>();
    for (SecretScanner.Hit hit : scanner.scan(text)) {
      findings.add(toFinding(hit));
    }
    return findings;
  }

  private GuardVerdict decide(String text, SecretAction action) {
    List<SecretScanner.Hit> hits = scanner.scan(text);
    if (hits.isEmpty()) {
      return GuardVerdict.pass();
    }
    List<Finding> findings = new ArrayList<>(hits.size());
    double risk = 0;
    boolean act = false;
    for (SecretScanner.Hit hit : hits) {
      findings.add(toFinding(hit));
      risk = Math.max(risk, hit.type().score());
      act |= hit.type().score() >= minScore;
    }
    if (!act || action == SecretAction.REPORT) {
      return new GuardVerdict.Pass(risk, findings);
    }
    if (action == SecretAction.BLOCK) {
      return GuardVerdict.block(blockMessage, risk, findings);
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (SecretScanner.Hit hit : hits) {
      if (hit.type().score() < minScore) {
        continue;
      }
      out.append(text, last, hit.start()).append(placeholder.replace("{type}", hit.type().label()));
      last = hit.end();
    }
    out.append(text, last, text.length());
    return GuardVerdict.rewrite(out.toString(), risk, findings);
  }

  private static Finding toFinding(SecretScanner.Hit hit) {
    String detail = hit.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + (hit.end() - hit.start())
        + " characters)";
    return new Finding(hit.type().name(), new TextSpan(hit.start(), hit.end()), hit.type().score(), detail);
  }

  @Override
  public String toString() {
    return "SecretsGuard[input=" + inputAction + ", output=" + outputAction + ", minScore=" + minScore + "]";
  }

  /**
   * Builds a {@link SecretsGuard}. Every option is a plain value so a JSON policy maps onto it. Not thread-safe.
   */
  public static final class Builder {
    private SecretAction inputAction = SecretAction.REDACT;
    private SecretAction outputAction = SecretAction.REDACT;
    private double minScore = 0.5;
    private String placeholder = "[REDACTED:{type}]";
    private String blockMessage = "Your message appears to contain a credential or secret, so it was not sent. "
        + "Remove it and try again.";
    private Set<SecretType> enabled = EnumSet.allOf(SecretType.class);
    private EntropyMode entropyMode = EntropyMode.NEAR_KEYWORD_OR_LONG;
    private double keywordEntropy = 3.5;
    private double longEntropy = 4.5;
    private int longLength = 40;
    private int maxLongLength = 200;

    private Builder() {}

    /** What to do with secrets in inputs; default {@link SecretAction#REDACT}. */
    public Builder inputAction(SecretAction action) {
      this.inputAction = Objects.requireNonNull(action, "inputAction");
      return this;
    }

    /** What to do with secrets in outputs; default {@link SecretAction#REDACT}. */
    public Builder outputAction(SecretAction action) {
      this.outputAction = Objects.requireNonNull(action, "outputAction");
      return this;
    }

    /** Sets both {@link #inputAction} and {@link #outputAction}. */
    public Builder action(SecretAction action) {
      return inputAction(action).outputAction(action);
    }

    /**
     * The lowest finding score that triggers the action, in {@code [0, 1]}; default 0.5. Lower-scoring findings
     * are only reported.
     */
    public Builder minScore(double minScore) {
      if (!(minScore >= 0 && minScore <= 1)) {
        throw new IllegalArgumentException("minScore must be in [0, 1] but was " + minScore);
      }
      this.minScore = minScore;
      return this;
    }

    /** The replacement for redacted secrets; {@code {type}} becomes the type name. Default {@code [REDACTED:{type}]}. */
    public Builder placeholder(String placeholder) {
      if (placeholder.isEmpty()) {
        throw new IllegalArgumentException("placeholder must not be empty");
      }
      this.placeholder = placeholder;
      return this;
    }

    /** What a blocked user is told; must not be blank and should not say what was found. */
    public Builder blockMessage(String message) {
      if (message.isBlank()) {
        throw new IllegalArgumentException("blockMessage must not be blank but was '" + message + "'");
      }
      this.blockMessage = message;
      return this;
    }

    /**
     * Types not to look for, by {@link SecretType} name (case-insensitive); all others are looked for. Replaces
     * an earlier {@link #enabledTypes(List)}.
     *
     * @throws IllegalArgumentException naming the unknown type
     */
    public Builder disabledTypes(List<String> types) {
      Set<SecretType> set = EnumSet.allOf(SecretType.class);
      for (String t : types) {
        set.remove(parseType(t));
      }
      this.enabled = set;
      return this;
    }

    /**
     * The only types to look for, by {@link SecretType} name (case-insensitive). Replaces an earlier
     * {@link #disabledTypes(List)}.
     *
     * @throws IllegalArgumentException naming the unknown type, or if the list is empty
     */
    public Builder enabledTypes(List<String> types) {
      if (types.isEmpty()) {
        throw new IllegalArgumentException("enabledTypes must name at least one type of " + List.of(SecretType.values()));
      }
      Set<SecretType> set = EnumSet.noneOf(SecretType.class);
      for (String t : types) {
        set.add(parseType(t));
      }
      this.enabled = set;
      return this;
    }

    private static SecretType parseType(String t) {
      try {
        return SecretType.valueOf(t.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown secret type '" + t + "'; known: " + List.of(SecretType.values()), e);
      }
    }

    /** When to report high-entropy strings of no known format; default {@link EntropyMode#NEAR_KEYWORD_OR_LONG}. */
    public Builder entropyMode(EntropyMode mode) {
      this.entropyMode = Objects.requireNonNull(mode, "entropyMode");
      return this;
    }

    /**
     * The Shannon entropy, in bits per character, a base64-like string next to a secret-like word needs (capped at
     * 80% of the most its length allows); hex strings need 3.0 and 32 characters. Default 3.5; in {@code (0, 6]}.
     */
    public Builder keywordEntropy(double bits) {
      if (!(bits > 0 && bits <= 6)) {
        throw new IllegalArgumentException("keywordEntropy must be in (0, 6] but was " + bits);
      }
      this.keywordEntropy = bits;
      return this;
    }

    /** The Shannon entropy a long string with no keyword needs; default 4.5; in {@code (0, 6]}. */
    public Builder longEntropy(double bits) {
      if (!(bits > 0 && bits <= 6)) {
        throw new IllegalArgumentException("longEntropy must be in (0, 6] but was " + bits);
      }
      this.longEntropy = bits;
      return this;
    }

    /**
     * The length range, in characters, of strings that count as secrets on entropy alone; default 40 to 200 (longer
     * runs are usually encoded data, not keys). {@code min >= 20}, {@code max >= min}.
     */
    public Builder longLength(int min, int max) {
      if (min < 20 || max < min) {
        throw new IllegalArgumentException("longLength needs 20 <= min <= max but was " + min + ".." + max);
      }
      this.longLength = min;
      this.maxLongLength = max;
      return this;
    }

    /** Builds the guard. */
    public SecretsGuard build() {
      return new SecretsGuard(this);
    }
  }
}
