/**
 * Cutting documents into retrievable passages: {@link dev.llmops.rag.chunk.Chunker} and the default
 * {@link dev.llmops.rag.chunk.RecursiveChunker}, which cuts by structure under a token limit measured with the
 * embedding model's {@link dev.llmops.core.embedding.TokenCounter}, with overlap. Every
 * {@link dev.llmops.rag.chunk.Chunk} keeps its character span and page so citations can point at it.
 */
@NullMarked
package dev.llmops.rag.chunk;

import org.jspecify.annotations.NullMarked;
