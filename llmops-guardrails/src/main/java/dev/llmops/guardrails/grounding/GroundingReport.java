package dev.llmops.guardrails.grounding;

import dev.llmops.core.TextSpan;
import java.util.List;
import java.util.Objects;

/**
 * The per-sentence grounding of an answer, as {@link GroundingGuard#assess} returns it for lineage and evaluation.
 *
 * @param sentences every sentence of the answer, in order; the sentences beyond the guard's limit are one last
 *     entry, {@link SentenceSupport.Status#NOT_ASSESSED}, spanning the rest of the answer and counted as one claim
 * @param unknownCitations every citation of an id that was not retrieved, in order
 * @param claims how many sentences are claims (supported, unsupported or not assessed)
 * @param supported how many claims are supported
 */
public record GroundingReport(List<SentenceSupport> sentences, List<UnknownCitation> unknownCitations, int claims, int supported) {

  /**
   * A citation of a chunk that was not retrieved.
   *
   * @param id the cited id
   * @param span the citation marker in the answer
   */
  public record UnknownCitation(String id, TextSpan span) {
    /** Validates the fields. */
    public UnknownCitation {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(span, "span");
    }
  }

  /** Validates and copies. */
  public GroundingReport {
    sentences = List.copyOf(sentences);
    unknownCitations = List.copyOf(unknownCitations);
    if (supported < 0 || claims < supported) {
      throw new IllegalArgumentException("need 0 <= supported <= claims but was " + supported + " of " + claims);
    }
  }

  /** The fraction of claims that are supported, in {@code [0, 1]}; 1 when the answer makes no claim. */
  public double groundedFraction() {
    return claims == 0 ? 1.0 : (double) supported / claims;
  }

  /** The sentences that are unsupported or not assessed. */
  public List<SentenceSupport> unsupported() {
    return sentences.stream().filter(s -> s.status() == SentenceSupport.Status.UNSUPPORTED
        || s.status() == SentenceSupport.Status.NOT_ASSESSED).toList();
  }
}
