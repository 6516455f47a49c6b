package dev.llmops.core.routing;

import java.time.Instant;

/**
 * Hears what the router does: every call's outcome, canary decisions (the audit trail), experiment exposures, and
 * circuit changes.
 * Called on the thread that caused the event; an exception thrown here is logged and does not fail the call.
 * Implement the methods you need; the others do nothing.
 */
public interface RouterListener {

  /** A canary decision, automatic or by hand, with its evidence. */
  default void onCanaryEvent(CanaryEvent event) {}

  /**
   * A call that reached a release ended: answered, cached or failed. Called on the caller's thread after the
   * router's own bookkeeping, before the call returns or throws.
   */
  default void onCall(CallRecord call) {}

  /** A unit was assigned an experiment arm. */
  default void onExposure(Exposure exposure) {}

  /**
   * A deployment's circuit changed state.
   *
   * @param deployment the deployment
   * @param from the state before ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN})
   * @param to the state after
   * @param time when
   */
  default void onCircuitChange(String deployment, String from, String to, Instant time) {}
}
