package dev.llmops.core.routing;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What one routed call came to, for {@link RouterListener#onCall}: every call that reached a release is reported
 * once, answered, served from the cache or failed. Calls refused by a rate limit or budget before a release was
 * chosen are not (they throw at once and are counted in {@code llmops.router.limited}).
 *
 * @param requestId the router's id for the call
 * @param time when the call started
 * @param route the route
 * @param release the release chosen
 * @param arm the side of the split: {@code "route"}, {@code "baseline"}, {@code "canary"} or an experiment arm
 * @param outcome what it came to
 * @param deployment the deployment that answered, or for a failure the last one tried; {@code null} when none was
 * @param errorClass the class of the failure; {@code null} unless it failed
 * @param tries calls made to the release's own deployments
 * @param failedTries of those, the ones that failed against the deployment (the canary's error-rate samples)
 * @param latency the time the router took
 * @param cost the cost, by the answering deployment's price table; 0 for cached and failed calls
 */
public record CallRecord(
    String requestId, Instant time, String route, String release, String arm, Outcome outcome,
    @Nullable String deployment, @Nullable ErrorClass errorClass, int tries, int failedTries, Duration latency,
    double cost) {

  /** What a call came to. */
  public enum Outcome {
    /** A deployment answered. */
    ANSWERED,
    /** The response cache answered. */
    CACHED,
    /** Every try failed, or nothing could be tried. */
    FAILED
  }
}
