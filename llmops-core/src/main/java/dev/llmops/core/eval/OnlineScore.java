package dev.llmops.core.eval;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link OnlineEvaluator} said about one live answer.
 *
 * @param requestId the router's request id
 * @param score the weighted mean of the assertion scores, in [0, 1], as reported to the router
 * @param passed whether every assertion of positive weight passed
 * @param results each assertion's result
 * @param recorded whether the router still knew the request and took the score (calls are remembered for the
 *     router's feedback retention)
 */
public record OnlineScore(String requestId, double score, boolean passed, List<AssertionResult> results,
    boolean recorded) {

  /** Copies. */
  public OnlineScore {
    Objects.requireNonNull(requestId, "requestId");
    results = List.copyOf(results);
  }
}
