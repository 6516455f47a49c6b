package dev.llmops.rag.internal;

/**
 * A chunk found by one search mode, with that mode's score (BM25, or cosine similarity for dense).
 *
 * @param chunk the chunk
 * @param score the score, higher is better
 */
public record Hit(StoredChunk chunk, double score) {}
