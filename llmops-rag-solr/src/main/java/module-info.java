/**
 * The llmops document index on SolrCloud; entry point {@link dev.llmops.rag.solr.SolrCloud}.
 *
 * <p>SolrJ 9 has no module descriptors and no Automatic-Module-Name: {@code solr.solrj} below is the name Java derives
 * from its jar file. Its ZooKeeper support ({@code solr-solrj-zookeeper}) splits packages with it, so that jar must
 * stay on the class path; the simplest setup puts SolrJ and this module on the class path (see the package
 * documentation).
 */
@org.jspecify.annotations.NullMarked
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.llmops.rag.solr {
  requires transitive dev.llmops.rag;
  requires transitive solr.solrj; // SolrCloud.using takes a CloudSolrClient
  requires org.apache.lucene.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.llmops.rag.solr;
  opens dev.llmops.rag.solr to com.fasterxml.jackson.databind; // the snapshot record of a generation
}
