package dev.llmops.test;

import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link GuardVerdict}; start with {@link LlmOpsAssertions#assertThat(GuardVerdict)}. */
public final class GuardVerdictAssert extends AbstractAssert<GuardVerdictAssert, GuardVerdict> {

  GuardVerdictAssert(GuardVerdict actual) {
    super(actual, GuardVerdictAssert.class);
  }

  /** The verdict is a pass. */
  public GuardVerdictAssert isPass() {
    return isKind(GuardVerdict.Pass.class);
  }

  /** The verdict blocks. */
  public GuardVerdictAssert isBlock() {
    return isKind(GuardVerdict.Block.class);
  }

  /** The verdict asks the model again. */
  public GuardVerdictAssert isReask() {
    return isKind(GuardVerdict.Reask.class);
  }

  /** The verdict escalates to a human. */
  public GuardVerdictAssert isEscalate() {
    return isKind(GuardVerdict.Escalate.class);
  }

  /** The verdict rewrites the text to exactly {@code text}. */
  public GuardVerdictAssert isRewriteTo(String text) {
    isKind(GuardVerdict.Rewrite.class);
    String rewritten = ((GuardVerdict.Rewrite) actual).text();
    if (!rewritten.equals(text)) {
      failWithActualExpectedAndMessage(rewritten, text, "Expected the rewrite%n  \"%s\"%nbut was%n  \"%s\"", text, rewritten);
    }
    return this;
  }

  private GuardVerdictAssert isKind(Class<? extends GuardVerdict> kind) {
    isNotNull();
    if (!kind.isInstance(actual)) {
      failWithMessage("Expected a %s verdict but was %s", kind.getSimpleName(), actual);
    }
    return this;
  }

  /** At least one finding has type {@code type}. */
  public GuardVerdictAssert hasFindingOfType(String type) {
    isNotNull();
    if (actual.findings().stream().noneMatch(f -> f.type().equals(type))) {
      failWithMessage("Expected a finding of type %s but the findings were %s", type,
          actual.findings().stream().map(Finding::type).toList());
    }
    return this;
  }

  /** There are no findings. */
  public GuardVerdictAssert hasNoFindings() {
    isNotNull();
    if (!actual.findings().isEmpty()) {
      failWithMessage("Expected no findings but there were %s", actual.findings());
    }
    return this;
  }

  /** The risk score is at least {@code min}. */
  public GuardVerdictAssert hasRiskScoreAtLeast(double min) {
    isNotNull();
    if (actual.riskScore() < min) {
      failWithMessage("Expected a risk score of at least %s but was %s", min, actual.riskScore());
    }
    return this;
  }
}
