/**
 * The llmops document index on SolrCloud, for when one machine no longer holds the documents or the query load:
 * the same {@link dev.llmops.rag.index.DocumentIndex} interface, contract and results as the embedded Lucene index
 * (chunking, content hashing, fusion and re-ranking are the same code), with collections sharded and replicated by
 * Solr. Entry point: {@link dev.llmops.rag.solr.SolrCloud}.
 *
 * <pre>{@code
 * try (SolrCloud cloud = SolrCloud.connect("http://solr1:8983/solr,http://solr2:8983/solr");
 *     DocumentIndex index = cloud.openIndex("handbook", IndexSettings.of(embeddings), CollectionLayout.of(2, 2))) {
 *   index.refresh(documents);
 *   List<RetrievedChunk> hits = index.retrieve(RetrievalQuery.of("parental leave", 5));
 * }
 * }</pre>
 *
 * <p><b>Snapshots are collection generations.</b> Index {@code NAME} is the alias {@code NAME} over collections
 * {@code NAME_g000001}, {@code NAME_g000002}, ...; each ingestion that changes something copies the current
 * generation into a new one, applies its changes and moves the alias, so a snapshot id is a collection name, and
 * pinning and rollback are alias operations. The last {@code retainSnapshots} generations are kept.
 *
 * <p><b>Class path or module path.</b> SolrJ 9 ships no module names, and its {@code solr-solrj} and
 * {@code solr-solrj-zookeeper} jars split packages ({@code org.apache.solr.common.cloud},
 * {@code org.apache.solr.client.solrj.impl}), which the module path refuses. The simplest setup puts this module and
 * SolrJ on the class path; on the module path, {@code solr-solrj-zookeeper} and its dependencies stay on the class
 * path, and only HTTP addresses ({@code http://...}) work.
 */
@NullMarked
package dev.llmops.rag.solr;

import org.jspecify.annotations.NullMarked;
