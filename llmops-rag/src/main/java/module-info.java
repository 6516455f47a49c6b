/** Retrieval for llmops: loaders, chunkers, Lucene indexes with hybrid search, snapshots and access control, behind {@link dev.llmops.core.retrieval.Retriever}. The indexes arrive with the RAG issue; until then this module fixes its coordinates and module name, and exports no package. */
@org.jspecify.annotations.NullMarked
module dev.llmops.rag {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
}
