package dev.llmops.core.routing;

import dev.llmops.core.chat.ChatResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a routed call and everything lineage needs about how it was produced.
 *
 * @param requestId the router's id for this call; pass it to {@link Router#recordQuality} and
 *     {@link Router#recordGuardOutcome} to feed the canary and experiment metrics
 * @param response the model's answer
 * @param route the route's name
 * @param release the release that answered (prompt version, index snapshot, guard policy inside)
 * @param arm which side of a split served it: {@code "baseline"} or {@code "canary"} during a canary, the arm's name
 *     during an experiment, else {@code "route"}
 * @param deployment the deployment that answered
 * @param deploymentVersion that deployment's exact version
 * @param attempts every try, the answering one last
 * @param cost what the call cost, by the answering deployment's price table (0 for a cached answer)
 * @param usageEstimated whether the token counts behind the cost were estimated (the model reported no usage)
 * @param cacheHit whether the answer came from the response cache ({@code "exact"} or {@code "semantic"}), else
 *     {@code "none"}
 * @param latency the time the router took in all, waits and retries included
 */
public record RoutedResponse(
    String requestId, ChatResponse response, String route, Release release, String arm, String deployment,
    String deploymentVersion, List<Attempt> attempts, double cost, boolean usageEstimated, String cacheHit,
    Duration latency) {

  /** Validates and copies. */
  public RoutedResponse {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(response, "response");
    attempts = List.copyOf(attempts);
  }

  /** The answer text. */
  public String text() {
    return response.text();
  }

  /** Whether the answer came from the response cache. */
  public boolean cached() {
    return !"none".equals(cacheHit);
  }
}
