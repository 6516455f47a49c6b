package dev.llmops.core.observe;

import dev.llmops.core.InvalidRequestException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One guard's verdict on one request, as lineage records it. Core does not depend on the guardrails module, so the
 * values are plain: the guardrails' {@code GuardRecord} converts as
 * {@code new GuardDecision(r.guard(), r.version(), stage, r.outcome().tag(), action, r.findings().size())}.
 *
 * @param guard the guard's name; not blank
 * @param version the guard's version, or {@code null} when it has none
 * @param stage whether it judged the input or the output
 * @param outcome how the guard's run ended, lower case ({@code pass}, {@code rewrite}, {@code block},
 *     {@code error}, {@code timeout}, {@code skipped}, ...); not blank
 * @param action what it did to the request, lower case ({@code pass}, {@code rewrite}, {@code block},
 *     {@code monitor} for a verdict that was not enforced, ...); not blank
 * @param findings how many findings it reported; not negative
 */
public record GuardDecision(
    String guard, @Nullable String version, Stage stage, String outcome, String action, int findings) {

  /** Which text a guard judged. */
  public enum Stage {
    /** The request, before retrieval and the model. */
    INPUT,
    /** The model's answer. */
    OUTPUT
  }

  /**
   * Validates.
   *
   * @throws InvalidRequestException if a name is blank or {@code findings} is negative
   */
  public GuardDecision {
    if (guard.isBlank()) {
      throw new InvalidRequestException("a guard decision needs the guard's name but got '" + guard + "'");
    }
    Objects.requireNonNull(stage, "stage");
    if (outcome.isBlank()) {
      throw new InvalidRequestException("guard '" + guard + "' decision needs an outcome but got '" + outcome + "'");
    }
    if (action.isBlank()) {
      throw new InvalidRequestException("guard '" + guard + "' decision needs an action but got '" + action + "'");
    }
    if (findings < 0) {
      throw new InvalidRequestException("guard '" + guard + "' findings must not be negative but was " + findings);
    }
  }

  /** The short form used in diffs: {@code stage:guard=action}. */
  public String label() {
    return stage.name().toLowerCase(java.util.Locale.ROOT) + ":" + guard + "=" + action;
  }
}
