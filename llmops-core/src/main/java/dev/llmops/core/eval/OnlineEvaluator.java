package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Scores live answers with assertions and reports each score to the router as the answer's quality, so a canary
 * whose plan compares quality ({@link dev.llmops.core.routing.CanaryPlan.Builder#maxQualityDrop}) is promoted or
 * rolled back on what the evaluator measured.
 *
 * <pre>{@code
 * OnlineEvaluator evaluator = OnlineEvaluator.builder(router)
 *     .assertion(Assertion.grounded(0.8), 2)
 *     .assertion(Assertion.citationPresent())
 *     .build();
 * RoutedResponse answer = router.chat(request);
 * evaluator.evaluate(answer, retrievedPassages);     // router.recordQuality(answer.requestId(), score)
 * }</pre>
 *
 * <p>The score is the weighted mean of the assertion scores (an assertion that throws scores 0). Immutable and
 * thread-safe when its assertions are; call it from the request thread or hand answers to a worker.
 */
public final class OnlineEvaluator {

  private final Router router;
  private final List<WeightedAssertion> assertions;

  private OnlineEvaluator(Router router, List<WeightedAssertion> assertions) {
    this.router = router;
    this.assertions = List.copyOf(assertions);
  }

  /** Starts an evaluator that reports to {@code router}. */
  public static Builder builder(Router router) {
    return new Builder(router);
  }

  /** Scores an answer without context or expected value, and records the score. */
  public OnlineScore evaluate(RoutedResponse answer) {
    return evaluate(answer, List.of(), null);
  }

  /** Scores an answer against the passages it was grounded in, and records the score. */
  public OnlineScore evaluate(RoutedResponse answer, List<ContextPassage> context) {
    return evaluate(answer, context, null);
  }

  /**
   * Scores an answer and records the score with {@link Router#recordQuality}.
   *
   * @param answer the router's answer
   * @param context the passages the answer should be grounded in
   * @param expected a reference answer, when one is known
   * @return the score, and whether the router took it
   */
  public OnlineScore evaluate(RoutedResponse answer, List<ContextPassage> context, @Nullable String expected) {
    EvalOutput output = new EvalOutput(answer.requestId(), answer.text(), answer.response(), expected, context,
        answer.latency(), answer.cost(), answer);
    Evaluation.Scored scored = Evaluation.score(assertions, output);
    boolean recorded = router.recordQuality(answer.requestId(), scored.score());
    return new OnlineScore(answer.requestId(), scored.score(), scored.passed(), scored.results(), recorded);
  }

  /** Builds an {@link OnlineEvaluator}. Not thread-safe. */
  public static final class Builder {
    private final Router router;
    private final List<WeightedAssertion> assertions = new ArrayList<>();

    private Builder(Router router) {
      this.router = Objects.requireNonNull(router, "router");
    }

    /** Adds an assertion of weight 1. */
    public Builder assertion(Assertion assertion) {
      return assertion(assertion, 1);
    }

    /** Adds a weighted assertion. */
    public Builder assertion(Assertion assertion, double weight) {
      assertions.add(new WeightedAssertion(assertion, weight));
      return this;
    }

    /**
     * The evaluator.
     *
     * @throws InvalidRequestException without an assertion of positive weight
     */
    public OnlineEvaluator build() {
      if (assertions.stream().noneMatch(a -> a.weight() > 0)) {
        throw new InvalidRequestException("an online evaluator needs at least one assertion of positive weight");
      }
      return new OnlineEvaluator(router, assertions);
    }
  }
}
