/**
 * Retrieval for llmops: loaders ({@code dev.llmops.rag.document}), chunkers ({@code dev.llmops.rag.chunk}),
 * indexes with hybrid search, snapshots, incremental refresh and access control ({@code dev.llmops.rag.index},
 * entry point {@link dev.llmops.rag.index.DocumentIndex}), and corpus checks before indexing
 * ({@code dev.llmops.rag.validate}). Indexes implement {@link dev.llmops.core.retrieval.Retriever}.
 */
@org.jspecify.annotations.NullMarked
// PDFBox ships only an Automatic-Module-Name; it is stable. The qualified export below names a module built after
// this one (llmops-rag-solr), which javac cannot see here.
@SuppressWarnings({"requires-automatic", "module"})
module dev.llmops.rag {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
  requires org.apache.lucene.core;
  requires org.apache.lucene.analysis.common;
  requires org.jsoup;
  requires org.apache.pdfbox;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.llmops.rag.document;
  exports dev.llmops.rag.chunk;
  exports dev.llmops.rag.index;
  exports dev.llmops.rag.validate;
  // The index engine and its store contract, for the SolrCloud store (llmops-rag-solr) only.
  exports dev.llmops.rag.internal to dev.llmops.rag.solr;
}
