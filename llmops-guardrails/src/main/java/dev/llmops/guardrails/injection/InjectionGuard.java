package dev.llmops.guardrails.injection;

import dev.llmops.core.classify.Classification;
import dev.llmops.core.classify.TextClassifier;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Detects prompt injection and jailbreak attempts in user input: {@link InjectionRules} (instruction overrides,
 * jailbreak personas, fake system markers, prompt extraction, output forcing, encoded instructions, token
 * floods, hidden characters; matched through leetspeak and look-alike folding), combined with an
 * {@link InjectionClassifier} over sentence embeddings when an {@link EmbeddingModel} is given, and optionally a
 * user-supplied {@link TextClassifier}.
 *
 * <pre>{@code
 * InputGuard rulesOnly = InjectionGuard.defaults();
 * InputGuard withModel = InjectionGuard.builder()
 *     .embeddingModel(allMiniLmL6V2)      // modelId "all-minilm-l6-v2", 384 dimensions: the shipped weights
 *     .threshold(0.5)
 *     .build();
 * }</pre>
 *
 * <p>The risk is the highest of the rules' score, the classifier's probability (rescaled so that
 * {@link Builder#classifierThreshold(double)} lands on the threshold) and the external classifier's score (when
 * that reaches its own threshold); at or above {@link Builder#threshold(double)} the guard applies
 * its {@link InjectionAction}. Rule findings are reported even below the threshold; model findings (types
 * {@code INJECTION_CLASSIFIER}, {@code EXTERNAL_CLASSIFIER}) only at or above it. A block message never says what
 * was detected.
 *
 * <p>Without an embedding model the guard runs the rules only. {@link Builder#build()} refuses an embedding
 * model whose id or dimension differs from the classifier's. Model failures propagate as the model's
 * {@link dev.llmops.core.LlmOpsException}. Immutable and thread-safe when its models are.
 */
public final class InjectionGuard implements InputGuard {

  /** The finding type of the embedding classifier's verdict. */
  public static final String CLASSIFIER_FINDING = "INJECTION_CLASSIFIER";

  /** The finding type of the user-supplied text classifier's verdict. */
  public static final String EXTERNAL_FINDING = "EXTERNAL_CLASSIFIER";

  /** The default message of a block. */
  public static final String DEFAULT_BLOCK_MESSAGE = "Sorry, this request can't be processed.";

  private final InjectionAction action;
  private final double threshold;
  private final double classifierThreshold;
  private final boolean rules;
  private final Set<InjectionSignal> disabled;
  private final @Nullable EmbeddingModel embeddingModel;
  private final @Nullable InjectionClassifier classifier;
  private final @Nullable TextClassifier textClassifier;
  private final String textClassifierLabel;
  private final double textClassifierThreshold;
  private final String blockMessage;
  private final String version;

  private InjectionGuard(Builder b, @Nullable InjectionClassifier classifier) {
    this.action = b.action;
    this.threshold = b.threshold;
    this.classifierThreshold = b.classifierThreshold >= 0 ? b.classifierThreshold
        : classifier != null ? classifier.threshold() : 0.5;
    this.rules = b.rules;
    this.disabled = b.disabled.isEmpty() ? EnumSet.noneOf(InjectionSignal.class) : EnumSet.copyOf(b.disabled);
    this.embeddingModel = b.embeddingModel;
    this.classifier = classifier;
    this.textClassifier = b.textClassifier;
    this.textClassifierLabel = b.textClassifierLabel;
    this.textClassifierThreshold = b.textClassifierThreshold;
    this.blockMessage = b.blockMessage;
    this.version = "1" + (classifier == null ? "" : "+" + classifier.modelId() + "-"
        + Integer.toHexString(classifier.hashCode()));
  }

  /** The rules-only guard with default settings: threshold 0.5, {@link InjectionAction#BLOCK}. */
  public static InjectionGuard defaults() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "prompt-injection";
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public GuardVerdict check(InputContext input) {
    InjectionScore s = score(input.text());
    if (!s.injection()) {
      return new GuardVerdict.Pass(s.risk(), s.findings());
    }
    return switch (action) {
      case BLOCK -> GuardVerdict.block(blockMessage, s.risk(), s.findings());
      case ESCALATE -> GuardVerdict.escalate("possible prompt injection (risk "
          + String.format(Locale.ROOT, "%.2f", s.risk()) + ")", s.risk(), s.findings());
      case REPORT -> new GuardVerdict.Pass(s.risk(), s.findings());
    };
  }

  /**
   * Scores a text with every configured signal, without deciding.
   *
   * @param text any text
   * @return the scores and findings
   */
  public InjectionScore score(String text) {
    List<Finding> findings = new ArrayList<>();
    double ruleScore = 0;
    double[] signals = new double[InjectionSignal.values().length];
    if (rules || (classifier != null && classifier.usesRuleFeatures())) {
      for (Finding f : InjectionRules.standard().scan(text)) {
        if (!disabled.contains(InjectionSignal.valueOf(f.type()))) {
          findings.add(f);
        }
      }
      signals = InjectionRules.signalScores(findings);
      if (rules) {
        ruleScore = InjectionRules.combinedScore(findings);
      } else {
        findings.clear();
      }
    }
    double risk = ruleScore;
    OptionalDouble classifierScore = OptionalDouble.empty();
    if (classifier != null && embeddingModel != null) {
      double p = classifier.score(embeddingModel, text, signals);
      classifierScore = OptionalDouble.of(p);
      risk = Math.max(risk, rescaled(p));
      if (p >= classifierThreshold) {
        findings.add(new Finding(CLASSIFIER_FINDING, null, p, "embedding classifier ("
            + classifier.modelId() + ") rates the text as a likely injection"));
      }
    }
    OptionalDouble externalScore = OptionalDouble.empty();
    if (textClassifier != null && !text.isBlank()) {
      Classification c = textClassifier.classify(text);
      double e = c.score(textClassifierLabel).orElse(0);
      externalScore = OptionalDouble.of(e);
      if (e >= textClassifierThreshold) {
        risk = Math.max(risk, Math.max(e, threshold));
        findings.add(new Finding(EXTERNAL_FINDING, null, e, "text classifier gives label '" + textClassifierLabel
            + "' a score at or above " + textClassifierThreshold));
      }
    }
    return new InjectionScore(Math.min(1, risk), ruleScore, classifierScore, externalScore, threshold, findings);
  }

  /**
   * Maps a classifier probability onto the risk scale so that {@code classifierThreshold} lands on
   * {@code threshold}, piecewise linearly (the identity when both are equal).
   */
  private double rescaled(double p) {
    if (p < classifierThreshold) {
      return p * threshold / classifierThreshold;
    }
    if (classifierThreshold >= 1) {
      return threshold;
    }
    return threshold + (p - classifierThreshold) * (1 - threshold) / (1 - classifierThreshold);
  }

  /** The decision threshold. */
  public double threshold() {
    return threshold;
  }

  /** The classifier probability at which the classifier alone decides. */
  public double classifierThreshold() {
    return classifierThreshold;
  }

  @Override
  public String toString() {
    return "InjectionGuard[threshold=" + threshold + ", action=" + action + ", rules=" + rules
        + ", classifier=" + classifier + ", textClassifier=" + (textClassifier != null) + "]";
  }

  /** Builds an {@link InjectionGuard}. Every option is a plain value, so a JSON policy maps onto it. Not thread-safe. */
  public static final class Builder {
    private InjectionAction action = InjectionAction.BLOCK;
    private double threshold = 0.5;
    private double classifierThreshold = -1;
    private boolean rules = true;
    private final Set<InjectionSignal> disabled = EnumSet.noneOf(InjectionSignal.class);
    private @Nullable EmbeddingModel embeddingModel;
    private @Nullable InjectionClassifier classifier;
    private @Nullable TextClassifier textClassifier;
    private String textClassifierLabel = "INJECTION";
    private double textClassifierThreshold = 0.5;
    private String blockMessage = DEFAULT_BLOCK_MESSAGE;

    private Builder() {}

    /** What to do at or above the threshold; default {@link InjectionAction#BLOCK}. */
    public Builder action(InjectionAction value) {
      this.action = Objects.requireNonNull(value, "action");
      return this;
    }

    /** The action by name ({@code block}, {@code escalate}, {@code report}; case-insensitive). */
    public Builder action(String value) {
      try {
        return action(InjectionAction.valueOf(value.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown injection action '" + value + "'; known: block, escalate, report",
            e);
      }
    }

    /** The risk at which the action applies, in {@code (0, 1]}; default 0.5. */
    public Builder threshold(double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException("threshold must be in (0, 1] but was " + value);
      }
      this.threshold = value;
      return this;
    }

    /**
     * The embedding classifier's probability at which it decides alone, in {@code (0, 1]}; default the threshold
     * recorded with its weights ({@link InjectionClassifier#threshold()}; 0.5 for trained and shipped weights).
     * Raise it to trade recall for fewer false positives on text unlike the training data.
     */
    public Builder classifierThreshold(double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException("classifierThreshold must be in (0, 1] but was " + value);
      }
      this.classifierThreshold = value;
      return this;
    }

    /** Whether the rules score the text (default true); off, the rules still feed a classifier that uses them. */
    public Builder rules(boolean value) {
      this.rules = value;
      return this;
    }

    /** Signals to ignore, by {@link InjectionSignal} name (for example {@code TOKEN_FLOOD}); default none. */
    public Builder disabledSignals(List<String> names) {
      disabled.clear();
      for (String name : names) {
        try {
          disabled.add(InjectionSignal.valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("unknown injection signal '" + name + "'; known: "
              + List.of(InjectionSignal.values()), e);
        }
      }
      return this;
    }

    /**
     * The embedding model for the classifier; with none the guard runs the rules only. Unless
     * {@link #classifier(InjectionClassifier)} is set, the shipped weights ({@code all-minilm-l6-v2}) are used.
     */
    public Builder embeddingModel(EmbeddingModel value) {
      this.embeddingModel = Objects.requireNonNull(value, "embeddingModel");
      return this;
    }

    /** Classifier weights to use instead of the shipped ones (for example ones trained for another model). */
    public Builder classifier(InjectionClassifier value) {
      this.classifier = Objects.requireNonNull(value, "classifier");
      return this;
    }

    /** An additional user-supplied classifier (for example a fine-tuned DeBERTa through llmops-inference). */
    public Builder textClassifier(TextClassifier value) {
      this.textClassifier = Objects.requireNonNull(value, "textClassifier");
      return this;
    }

    /** The text classifier's label that means injection; default {@code INJECTION}. */
    public Builder textClassifierLabel(String value) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("textClassifierLabel must not be blank");
      }
      this.textClassifierLabel = value;
      return this;
    }

    /** The text classifier's score for its label at which it counts, in {@code (0, 1]}; default 0.5. */
    public Builder textClassifierThreshold(double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException("textClassifierThreshold must be in (0, 1] but was " + value);
      }
      this.textClassifierThreshold = value;
      return this;
    }

    /** What a block tells the user; must not be blank. */
    public Builder blockMessage(String value) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("blockMessage must not be blank");
      }
      this.blockMessage = value;
      return this;
    }

    /**
     * Builds the guard.
     *
     * @throws IllegalArgumentException if the embedding model's id or dimension does not match the classifier's,
     *     if a classifier is given without an embedding model, if the text classifier does not know its label, or
     *     if rules are off with neither model
     */
    public InjectionGuard build() {
      InjectionClassifier c = null;
      if (embeddingModel != null) {
        c = classifier != null ? classifier : InjectionClassifier.shipped();
        c.requireCompatible(embeddingModel);
      } else if (classifier != null) {
        throw new IllegalArgumentException("a classifier (" + classifier.modelId() + ") needs an embeddingModel");
      }
      if (textClassifier != null && !textClassifier.labels().contains(textClassifierLabel)) {
        throw new IllegalArgumentException("the text classifier has no label '" + textClassifierLabel + "'; its labels "
            + "are " + textClassifier.labels());
      }
      if (!rules && c == null && textClassifier == null) {
        throw new IllegalArgumentException("with rules off the guard needs an embeddingModel or a textClassifier");
      }
      return new InjectionGuard(this, c);
    }
  }
}
