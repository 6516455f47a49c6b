package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.Document;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.solr.CollectionLayout;
import dev.llmops.rag.solr.SolrCloud;
import java.nio.file.Path;
import java.util.List;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of site/src/docs/operations.md, run against a real one-node SolrCloud cluster and all-MiniLM-L6-v2. */
class OperationsDocTest {

  @TempDir Path dir;

  @Test
  void movingAnIndexToSolrCloud() throws Exception {
    System.setProperty("solr.install.dir", dir.toString());
    System.setProperty("zookeeper.admin.enableServer", "false");
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(1, dir.resolve("solr")).withMetrics(false).build();
    String solrUrls = cluster.getJettySolrRunner(0).getBaseUrl().toString();
    List<Document> documents = List.of(
        Document.of("expenses", "Travel costs are refunded within 30 days when the receipt is uploaded."),
        Document.of("security", "Report a lost laptop to the service desk at once."));
    try {
      // tag::solr[]
      OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2")).build();
      IndexSettings settings = IndexSettings.builder()             // the same settings as the embedded index
          .embeddingModel(model)
          .chunker(RecursiveChunker.of(model.tokenCounter()))
          .build();
      try (SolrCloud cloud = SolrCloud.connect(solrUrls);         // or ZooKeeper: "zk1:2181,zk2:2181/solr"
          DocumentIndex index = cloud.openIndex("handbook", settings, CollectionLayout.of(1, 1))) {
        IngestReport report = index.refresh(documents);            // collection handbook_g000001, alias handbook
        List<RetrievedChunk> hits = index.retrieve(RetrievalQuery.of("when is travel refunded", 1));
        // end::solr[]
        assertThat(report.snapshotId()).isEqualTo("handbook_g000001");
        assertThat(hits.get(0).citation().documentId()).isEqualTo("expenses");
        assertThat(index.refresh(documents).newSnapshot()).isFalse();
      } finally {
        model.close();
      }
    } finally {
      cluster.shutdown();
    }
  }
}
