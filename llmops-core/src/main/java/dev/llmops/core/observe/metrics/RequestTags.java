package dev.llmops.core.observe.metrics;

import dev.llmops.core.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * What a pipeline stage's observation says about the request it ran for.
 *
 * @param requestId the request's (lineage) id: a high-cardinality key value, on spans only, never a meter tag
 * @param route the route, or {@code null} when no router is involved: low cardinality
 * @param release the release, or {@code null}: low cardinality
 */
public record RequestTags(String requestId, @Nullable String route, @Nullable String release) {

  /**
   * Validates the id.
   *
   * @throws InvalidRequestException if the request id is blank
   */
  public RequestTags {
    if (requestId.isBlank()) {
      throw new InvalidRequestException("request tags need a request id, got '" + requestId + "'");
    }
  }
}
