package dev.llmops.guardrails.chain;

import dev.llmops.core.guard.GuardVerdict;
import java.time.Duration;
import java.util.List;
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

  /** The guard's risk score, 0 when it failed or was skipped. */
  public double riskScore() {
    return verdict == null ? 0 : verdict.riskScore();
  }
}
