/**
 * Indexes: {@link dev.llmops.rag.index.DocumentIndex#lucene(java.nio.file.Path, IndexSettings)} (HNSW vectors,
 * optionally int8, BM25, metadata filters, on disk) and {@link dev.llmops.rag.index.DocumentIndex#inMemory(IndexSettings)}
 * (exact search), with BM25, dense and hybrid search ({@link dev.llmops.rag.index.Fusion}: reciprocal rank or
 * convex combination), optional re-ranking by a {@link dev.llmops.core.scoring.ScoringModel}, snapshots with
 * rollback, incremental refresh by content hash, and access control inside the query.
 */
@NullMarked
package dev.llmops.rag.index;

import org.jspecify.annotations.NullMarked;
