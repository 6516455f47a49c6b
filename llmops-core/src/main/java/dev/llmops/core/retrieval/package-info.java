/**
 * Retrieval: the {@link dev.llmops.core.retrieval.Retriever} contract. A
 * {@link dev.llmops.core.retrieval.RetrievalQuery} carries the caller's access scope (tenant and groups)
 * and may pin an index snapshot; each {@link dev.llmops.core.retrieval.RetrievedChunk} carries a
 * {@link dev.llmops.core.retrieval.Citation} that points back to the exact place in the source.
 */
@NullMarked
package dev.llmops.core.retrieval;

import org.jspecify.annotations.NullMarked;
