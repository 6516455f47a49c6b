package dev.llmops.rag.solr;

import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.DocumentIndexContractTest;
import dev.llmops.rag.index.IndexSettings;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.BeforeAllCallback;

/**
 * The contract every index passes, run against a real SolrCloud cluster: two Solr nodes, each index generation a
 * collection of 2 shards x 2 replicas.
 */
class SolrIndexContractTest extends DocumentIndexContractTest {

  static TestCluster cluster;
  static SolrCloud cloud;
  private static final AtomicInteger COUNT = new AtomicInteger();

  @RegisterExtension
  static final BeforeAllCallback START = (ExtensionContext context) -> cluster = TestCluster.get(context);

  @BeforeAll
  static void connect() {
    cloud = SolrCloud.connect(cluster.urls());
  }

  @AfterAll
  static void disconnect() {
    cloud.close();
  }

  @Override
  protected DocumentIndex newIndex(IndexSettings settings) {
    return cloud.openIndex("contract" + COUNT.incrementAndGet(), settings, CollectionLayout.of(2, 2));
  }

  /** Each test's collections go when it ends, so the nodes do not fill up with cores. */
  @AfterEach
  void dropCollections() throws Exception {
    cluster.cluster.deleteAllCollections();
  }
}
