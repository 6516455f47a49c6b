package dev.llmops.core.routing;

import dev.llmops.core.chat.ChatResponse;
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
 * @param release the release chosen (its prompt version, index snapshot and guard policy inside)
 * @param tenant the caller's tenant, or {@code null}
 * @param unitId the caller's unit (user, session), or {@code null}
 * @param arm the side of the split: {@code "route"}, {@code "baseline"}, {@code "canary"} or an experiment arm
 * @param outcome what it came to
 * @param deployment the deployment that answered, or for a failure the last one tried; {@code null} when none was
 * @param deploymentVersion the answering deployment's exact version; {@code null} unless a deployment answered
 * @param response the answer; {@code null} for a failure
 * @param errorClass the class of the failure; {@code null} unless it failed
 * @param tries calls made to the release's own deployments
 * @param failedTries of those, the ones that failed against the deployment (the canary's error-rate samples)
 * @param latency the time the router took
 * @param cost the cost, by the answering deployment's price table; 0 for cached and failed calls
 * @param usageEstimated whether the token counts behind the cost were estimated (the model reported none)
 */
public record CallRecord(
    String requestId, Instant time, String route, Release release, @Nullable String tenant, @Nullable String unitId,
    String arm, Outcome outcome, @Nullable String deployment, @Nullable String deploymentVersion,
    @Nullable ChatResponse response, @Nullable ErrorClass errorClass, int tries, int failedTries, Duration latency,
    double cost, boolean usageEstimated) {

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
