package dev.llmops.guardrails.chain;

import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.observe.GuardDecision;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One guard's run in a chain, as lineage records it.
 *
 * @param guard the guard's name
 * @param version the guard's version
 * @param stage input or output
 * @param outcome how the run ended
 * @param verdict the guard's verdict, or {@code null} when it failed or was skipped
 * @param findings its findings, spans mapped to the chain's input text
 * @param duration how long it took (zero when skipped)
 * @param enforced whether the verdict could act on the request ({@code false} in monitor mode)
 * @param error the failure, for {@link GuardOutcome#ERROR} and {@link GuardOutcome#TIMEOUT}, else {@code null}
 */
public record GuardRecord(
    String guard, String version, Stage stage, GuardOutcome outcome, @Nullable GuardVerdict verdict,
    List<ChainFinding> findings, Duration duration, boolean enforced, @Nullable String error) {

  /** Copies the findings. */
  public GuardRecord {
    findings = List.copyOf(findings);
  }

  /**
   * This record as a lineage record keeps it: stage, the outcome in lower case, the action ({@code "monitor"} for a
   * verdict that was recorded but not enforced, else the outcome) and the number of findings.
   */
  public GuardDecision toLineage() {
    String outcomeTag = outcome.name().toLowerCase(Locale.ROOT);
    return new GuardDecision(guard, version.isBlank() ? null : version,
        stage == Stage.INPUT ? GuardDecision.Stage.INPUT : GuardDecision.Stage.OUTPUT, outcomeTag,
        enforced ? outcomeTag : "monitor", findings.size());
  }

  /** The guard's risk score, 0 when it failed or was skipped. */
  public double riskScore() {
    return verdict == null ? 0 : verdict.riskScore();
  }
}
