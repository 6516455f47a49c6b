package dev.llmops.core.embedding;

import java.util.List;
import java.util.OptionalInt;

/**
 * Turns texts into vectors. Implementations are safe to share across threads.
 *
 * <p>An input longer than the model's window is never cut short silently: depending on how the model was
 * configured it is refused with an {@link dev.llmops.core.InvalidRequestException}, or truncated or chunked
 * and then marked so in {@link Embedding#handling()}.
 */
public interface EmbeddingModel {

  /**
   * Embeds a batch of texts.
   *
   * @param texts the inputs; may be empty
   * @return one embedding per input, in input order
   * @throws dev.llmops.core.LlmOpsException when the model could not embed the batch
   */
  EmbeddingResult embedAll(List<String> texts);

  /**
   * Embeds one text.
   *
   * @param text the input
   * @return its embedding
   */
  default Embedding embed(String text) {
    return embedAll(List.of(text)).get(0);
  }

  /** The model's id, as recorded in lineage. */
  String modelId();

  /** The vector dimension, when it is known before the first call (remote models may not say). */
  default OptionalInt dimension() {
    return OptionalInt.empty();
  }
}
