package dev.llmops.core.routing;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

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
   * One listener that hands every event to each of {@code listeners} in order — say lineage, metrics and cost
   * tracking together. A listener that throws is logged and the others still hear the event.
   */
  static RouterListener all(RouterListener... listeners) {
    List<RouterListener> list = List.of(listeners);
    return new RouterListener() {
      @Override
      public void onCall(CallRecord call) {
        each(list, l -> l.onCall(call));
      }

      @Override
      public void onCanaryEvent(CanaryEvent event) {
        each(list, l -> l.onCanaryEvent(event));
      }

      @Override
      public void onExposure(Exposure exposure) {
        each(list, l -> l.onExposure(exposure));
      }

      @Override
      public void onCircuitChange(String deployment, String from, String to, Instant time) {
        each(list, l -> l.onCircuitChange(deployment, from, to, time));
      }
    };
  }

  private static void each(List<RouterListener> listeners, Consumer<RouterListener> event) {
    for (RouterListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(RouterListener.class).warn("A router listener failed; the others still hear it", e);
      }
    }
  }

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
