package dev.llmops.test;

import dev.llmops.core.eval.AttemptResult;
import dev.llmops.core.eval.CaseResult;
import dev.llmops.core.eval.EvalComparison;
import dev.llmops.core.eval.EvalReport;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an evaluation's report, so that a JUnit test fails the build on an evaluation; start with
 * {@link LlmOpsAssertions#assertThat(EvalReport)}:
 *
 * <pre>{@code
 * EvalReport report = Evaluation.builder().dataset(EvalDataset.load(golden)).target(EvalTarget.of(model)).run();
 * assertThat(report).hasNoBadRows().hasPassRateAtLeast(0.95).hasNoRegressionsAgainst(EvalReport.read(baseline));
 * }</pre>
 *
 * Failure messages list every failing case with the reason of its first failed attempt.
 */
public final class EvalReportAssert extends AbstractAssert<EvalReportAssert, EvalReport> {

  EvalReportAssert(EvalReport actual) {
    super(actual, EvalReportAssert.class);
  }

  /**
   * The weighted pass rate is at least {@code min}.
   *
   * @param min the least weighted pass rate, in [0, 1]
   */
  public EvalReportAssert hasPassRateAtLeast(double min) {
    isNotNull();
    if (!(min >= 0 && min <= 1)) {
      throw new IllegalArgumentException("the minimum pass rate must be in [0, 1] but was " + min);
    }
    double rate = actual.weightedPassRate();
    if (rate < min) {
      failWithMessage("Expected evaluation '%s' to have a weighted pass rate of at least %s but it was %s "
              + "(%d of %d cases passed); failing cases:%n%s", actual.name(), format(min), format(rate),
          actual.casesPassed(), actual.cases().size(), failing(actual.failedCases()));
    }
    return this;
  }

  /** No case regressed against {@code baseline} (see {@link EvalReport#compare}). */
  public EvalReportAssert hasNoRegressionsAgainst(EvalReport baseline) {
    isNotNull();
    EvalComparison diff = EvalReport.compare(baseline, actual);
    if (diff.hasRegressions()) {
      String lines = diff.regressed().stream().map(change -> {
        CaseResult now = actual.caseResult(change.id());
        return "  - " + change + (now == null ? "" : ": " + reason(now));
      }).collect(Collectors.joining(System.lineSeparator()));
      failWithMessage("Expected evaluation '%s' to have no regressions against '%s' but %d case%s regressed:%n%s",
          actual.name(), baseline.name(), diff.regressed().size(), diff.regressed().size() == 1 ? "" : "s", lines);
    }
    return this;
  }

  /** Every dataset row could be read. */
  public EvalReportAssert hasNoBadRows() {
    isNotNull();
    if (!actual.errors().isEmpty()) {
      failWithMessage("Expected evaluation '%s' to have no bad dataset rows but it had %d:%n%s", actual.name(),
          actual.errors().size(),
          actual.errors().stream().map(e -> "  - " + e).collect(Collectors.joining(System.lineSeparator())));
    }
    return this;
  }

  private static String failing(List<CaseResult> cases) {
    return cases.stream().map(c -> String.format(Locale.ROOT, "  - %s (%d/%d attempts passed): %s", c.id(),
        c.passedAttempts(), c.attempts().size(), reason(c))).collect(Collectors.joining(System.lineSeparator()));
  }

  private static String reason(CaseResult c) {
    for (AttemptResult a : c.attempts()) {
      if (a.passed()) {
        continue;
      }
      if (a.error() != null) {
        return a.error();
      }
      return a.failures().stream().map(r -> r.name() + ": " + r.reason()).collect(Collectors.joining("; "));
    }
    return "passed";
  }

  private static String format(double rate) {
    return String.format(Locale.ROOT, "%.4f", rate);
  }
}
