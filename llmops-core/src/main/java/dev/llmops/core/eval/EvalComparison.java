package dev.llmops.core.eval;

import java.util.List;
import java.util.Locale;

/**
 * How a candidate run differs from a baseline run, case by case (matched by id).
 *
 * @param baselinePassRate the baseline's weighted pass rate
 * @param candidatePassRate the candidate's weighted pass rate
 * @param regressed cases whose pass rate fell, or that passed in the baseline and fail now
 * @param improved cases whose pass rate rose, or that failed in the baseline and pass now
 * @param unchanged cases with the same pass rate and verdict in both
 * @param added ids of cases only the candidate ran
 * @param removed ids of cases only the baseline ran
 */
public record EvalComparison(
    double baselinePassRate, double candidatePassRate, List<CaseChange> regressed, List<CaseChange> improved,
    List<CaseChange> unchanged, List<String> added, List<String> removed) {

  /** Copies. */
  public EvalComparison {
    regressed = List.copyOf(regressed);
    improved = List.copyOf(improved);
    unchanged = List.copyOf(unchanged);
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  /**
   * One case in both runs.
   *
   * @param id the case's id
   * @param baselinePassRate its pass rate in the baseline
   * @param candidatePassRate its pass rate in the candidate
   * @param baselinePassed whether it passed in the baseline
   * @param candidatePassed whether it passes in the candidate
   */
  public record CaseChange(
      String id, double baselinePassRate, double candidatePassRate, boolean baselinePassed, boolean candidatePassed) {

    /** {@code id: 100% -> 67% (passed -> failed)}. */
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s: %.0f%% -> %.0f%% (%s -> %s)", id, 100 * baselinePassRate,
          100 * candidatePassRate, baselinePassed ? "passed" : "failed", candidatePassed ? "passed" : "failed");
    }
  }

  /** Whether any case regressed. */
  public boolean hasRegressions() {
    return !regressed.isEmpty();
  }

  /** A Markdown section listing the regressed, improved, added and removed cases. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "## Comparison with the baseline\n\nWeighted pass rate %.1f%% -> %.1f%%: "
            + "%d regressed, %d improved, %d unchanged, %d added, %d removed.\n", 100 * baselinePassRate,
        100 * candidatePassRate, regressed.size(), improved.size(), unchanged.size(), added.size(), removed.size()));
    section(md, "Regressed", regressed);
    section(md, "Improved", improved);
    if (!added.isEmpty()) {
      md.append("\n").append("Added: ").append(String.join(", ", added)).append("\n");
    }
    if (!removed.isEmpty()) {
      md.append("\n").append("Removed: ").append(String.join(", ", removed))
          .append("\n");
    }
    return md.toString();
  }

  private static void section(StringBuilder md, String title, List<CaseChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    String nl = "\n";
    md.append(nl).append("### ").append(title).append(nl).append(nl);
    md.append("| case | baseline | candidate |").append(nl).append("| --- | --- | --- |").append(nl);
    for (CaseChange c : changes) {
      md.append(String.format(Locale.ROOT, "| %s | %.0f%% (%s) | %.0f%% (%s) |\n", EvalReport.cell(c.id()),
          100 * c.baselinePassRate(), c.baselinePassed() ? "pass" : "fail", 100 * c.candidatePassRate(),
          c.candidatePassed() ? "pass" : "fail"));
    }
  }
}
