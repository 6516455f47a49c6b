package dev.llmops.guardrails.grounding;

import dev.llmops.core.TextSpan;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How well one sentence of an answer is supported by the retrieved chunks.
 *
 * @param span the sentence in the answer (citation markers included)
 * @param status the assessment
 * @param support the combined support score in {@code [0, 1]}; 0 for sentences not assessed or skipped
 * @param lexicalSupport the fraction of the sentence's content words found in the chunks, in {@code [0, 1]}
 * @param embeddingSimilarity the cosine similarity to the closest chunk sentence, or {@code null} without an
 *     embedding model
 * @param chunkIds the chunk ids the sentence was scored against: the ones it cites that were retrieved, or every
 *     retrieved chunk for an uncited sentence checked against all sources
 * @param unknownCitations ids the sentence cites that are not among the retrieved chunks
 * @param unmatchedNumbers numbers in the sentence that appear in none of those chunks
 * @param reason a short explanation, such as {@code not a claim: question} or {@code numbers not in the sources}
 */
public record SentenceSupport(
    TextSpan span, Status status, double support, double lexicalSupport, @Nullable Double embeddingSimilarity,
    List<String> chunkIds, List<String> unknownCitations, List<String> unmatchedNumbers, String reason) {

  /** The assessment of a sentence. */
  public enum Status {
    /** A claim whose support reaches the threshold. */
    SUPPORTED,
    /** A claim whose support falls short, whose numbers are not in its chunks, or that has no chunks to check. */
    UNSUPPORTED,
    /** Not a claim (a question, an abstention, a heading, a short connective), or uncited and ignored by policy. */
    SKIPPED,
    /** Beyond the guard's sentence limit; counted as unsupported. */
    NOT_ASSESSED
  }

  /** Validates and copies. */
  public SentenceSupport {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(status, "status");
    chunkIds = List.copyOf(chunkIds);
    unknownCitations = List.copyOf(unknownCitations);
    unmatchedNumbers = List.copyOf(unmatchedNumbers);
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether the sentence is a claim that counts towards the grounded fraction. */
  public boolean isClaim() {
    return status != Status.SKIPPED;
  }
}
