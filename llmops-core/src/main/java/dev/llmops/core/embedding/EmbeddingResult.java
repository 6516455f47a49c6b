package dev.llmops.core.embedding;

import java.util.List;
import java.util.Objects;

/**
 * The embeddings of a batch, in input order.
 *
 * @param embeddings one per input, in the order the inputs were given
 * @param modelId the model that produced them
 * @param totalTokens the tokens counted for the whole batch, or -1 if not reported
 */
public record EmbeddingResult(List<Embedding> embeddings, String modelId, int totalTokens) {

  /** Validates and copies. */
  public EmbeddingResult {
    embeddings = List.copyOf(embeddings);
    Objects.requireNonNull(modelId, "modelId");
    if (totalTokens < -1) {
      throw new IllegalArgumentException("totalTokens must be -1 (unknown) or more but was " + totalTokens);
    }
  }

  /** The embedding of the input at {@code index}. */
  public Embedding get(int index) {
    return embeddings.get(index);
  }

  /** The number of embeddings. */
  public int size() {
    return embeddings.size();
  }
}
