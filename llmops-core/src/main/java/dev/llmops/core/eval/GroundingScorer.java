package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import java.util.List;

/**
 * Measures how much of an answer its context supports: the share of the answer's sentences (claims) that some
 * passage supports. The stock scorer is {@link #tokenOverlap()}; the guardrails module's grounding guard fits too:
 *
 * <pre>{@code
 * GroundingGuard guard = GroundingGuard.builder().embeddingModel(embeddings).build();
 * GroundingScorer scorer = (answer, context) -> {
 *   GroundingReport report = guard.assess(new OutputContext(answer, "", chunks(context), List.of(), null, Map.of()));
 *   return report.claims() == 0 ? 1 : (double) report.supported() / report.claims();
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface GroundingScorer {

  /**
   * The grounded fraction of {@code answer}.
   *
   * @param answer the answer text
   * @param context the passages it should be grounded in; never empty when called by {@link Assertion#grounded}
   * @return a share in [0, 1]; 1 for an answer with no claims
   */
  double groundedFraction(String answer, List<ContextPassage> context);

  /** {@link #tokenOverlap(double)} with a minimum support of 0.5. */
  static GroundingScorer tokenOverlap() {
    return tokenOverlap(0.5);
  }

  /**
   * A scorer without a model (as RAGAS's non-LLM context recall): the answer is split into sentences; a sentence's
   * content words (lower-cased letters and digits, English stop words and {@code [n]} citation markers left out) are
   * its claim; the sentence is supported when at least {@code minSupport} of those words occur in one passage.
   * Sentences without content words are not claims. Deterministic and thread-safe.
   *
   * @param minSupport the share of a sentence's content words one passage must hold, in (0, 1]
   * @throws InvalidRequestException if minSupport is not in (0, 1]
   */
  static GroundingScorer tokenOverlap(double minSupport) {
    if (!(minSupport > 0 && minSupport <= 1)) {
      throw new InvalidRequestException("minSupport must be in (0, 1] but was " + minSupport);
    }
    return new TokenOverlapScorer(minSupport);
  }
}
