/**
 * Text embeddings: the {@link dev.llmops.core.embedding.EmbeddingModel} contract.
 *
 * <p>{@link dev.llmops.core.embedding.EmbeddingModel#embedAll(java.util.List)} embeds a batch and returns an
 * {@link dev.llmops.core.embedding.EmbeddingResult} whose {@link dev.llmops.core.embedding.Embedding}s say
 * how many tokens each input had and how it was handled ({@link dev.llmops.core.embedding.InputHandling}):
 * a model never truncates silently.
 */
@NullMarked
package dev.llmops.core.embedding;

import org.jspecify.annotations.NullMarked;
