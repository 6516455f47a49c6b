/**
 * Retrieval evaluation with trec_eval's semantics: {@link dev.llmops.benchmarks.retrieval.Qrels} (BEIR or TREC
 * relevance judgements), {@link dev.llmops.benchmarks.retrieval.TrecRun} (TREC run files, read and written) and
 * {@link dev.llmops.benchmarks.retrieval.RetrievalMetrics} (nDCG@k and recall@k, per query and averaged).
 */
@NullMarked
package dev.llmops.benchmarks.retrieval;

import org.jspecify.annotations.NullMarked;
