/**
 * Indexes. The entry point is {@link dev.llmops.rag.index.DocumentIndex}:
 * {@link dev.llmops.rag.index.DocumentIndex#lucene(java.nio.file.Path, IndexSettings)} for the embedded index on
 * disk (HNSW vectors, optionally int8, BM25, metadata and access-control fields) and
 * {@link dev.llmops.rag.index.DocumentIndex#inMemory(IndexSettings)} for small corpora and tests (exact search).
 * Both pass the same contract tests.
 *
 * <ul>
 *   <li>{@link dev.llmops.rag.index.IndexSettings}: the embedding model (any core {@code EmbeddingModel}), the
 *       chunker, BM25 analysis, default mode, {@link dev.llmops.rag.index.Fusion} (reciprocal rank or convex),
 *       an optional re-ranking {@code ScoringModel}, snapshot retention, HNSW parameters;</li>
 *   <li>{@code upsert}, {@code refresh} (also deletes what was not given), {@code delete}: each returns an
 *       {@link dev.llmops.rag.index.IngestReport} and commits one {@link dev.llmops.rag.index.Snapshot} if anything
 *       changed; unchanged documents are not embedded again;</li>
 *   <li>{@code retrieve(RetrievalQuery)} (core's {@code Retriever}) or {@code search(SearchRequest)} with a
 *       {@link dev.llmops.rag.index.SearchMode}; the query's tenant and groups are enforced inside the index query;
 *       every chunk carries a citation with its snapshot id;</li>
 *   <li>{@code currentSnapshot()}, {@code snapshots()}, {@code rollback(id)}; a query can pin a snapshot.</li>
 * </ul>
 *
 * <pre>{@code
 * try (DocumentIndex index = DocumentIndex.lucene(Path.of("idx"), IndexSettings.of(embeddingModel))) {
 *   IngestReport report = index.refresh(documents);
 *   List<RetrievedChunk> chunks = index.retrieve(RetrievalQuery.builder(question).topK(5)
 *       .tenant("acme").groups("support").build());
 * }
 * }</pre>
 */
@NullMarked
package dev.llmops.rag.index;

import org.jspecify.annotations.NullMarked;
