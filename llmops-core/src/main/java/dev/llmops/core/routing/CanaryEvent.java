package dev.llmops.core.routing;

import java.time.Instant;
import java.util.List;

/**
 * An audit record of one canary decision, automatic or by hand, with the evidence behind it.
 *
 * @param route the route
 * @param baseline the baseline release
 * @param candidate the candidate release
 * @param time when it was decided
 * @param requestNumber how many calls the route had taken when it was decided
 * @param action what was done (or, in a dry run, would have been)
 * @param step the step index it was decided at (0-based)
 * @param fromPercent the canary's share before
 * @param toPercent the canary's share after (unchanged in a dry run)
 * @param dryRun whether the plan only decides and does not act
 * @param actor {@code "controller"} for automatic decisions, else who acted by hand
 * @param reason why, in words
 * @param evidence what each metric showed; empty for decisions by hand
 */
public record CanaryEvent(
    String route, String baseline, String candidate, Instant time, long requestNumber, CanaryAction action, int step,
    double fromPercent, double toPercent, boolean dryRun, String actor, String reason, List<MetricEvidence> evidence) {

  /** Copies the evidence. */
  public CanaryEvent {
    evidence = List.copyOf(evidence);
  }
}
