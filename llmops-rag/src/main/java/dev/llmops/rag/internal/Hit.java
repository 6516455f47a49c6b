package dev.llmops.rag.internal;

/**
 * A chunk found by one search mode, with that mode's score (BM25, or cosine similarity for dense). The chunk is
 * named by a reference that is only meaningful within the {@link IndexStore.View} that found it, and loaded from
 * there only for the hits that make the final list.
 *
 * @param ref the chunk's reference in its view
 * @param score the score, higher is better
 */
public record Hit(int ref, double score) {}
