package dev.llmops.core.routing;

/**
 * Hears when a {@link Budget}'s spend crosses an alert fraction. Called on the thread of the request that crossed
 * it, after the request completed; an exception thrown here is logged and does not fail the request.
 */
@FunctionalInterface
public interface BudgetListener {

  /** A budget crossed {@code alert.fraction()} of its limit. */
  void onAlert(BudgetAlert alert);
}
