package dev.llmops.rag.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.ConflictException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.Document;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.index.SearchMode;
import dev.llmops.rag.index.SearchRequest;
import dev.llmops.rag.index.Snapshot;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only a distributed index has to get right: node failures, aliases, other processes, cluster errors. */
class SolrCloudIndexTest {

  static TestCluster cluster;
  static SolrCloud cloud;

  @RegisterExtension
  static final BeforeAllCallback START = (ExtensionContext context) -> cluster = TestCluster.get(context);

  private final DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();
  private final List<DocumentIndex> opened = new ArrayList<>();

  @BeforeAll
  static void connect() {
    cloud = SolrCloud.connect(cluster.zk()); // the ZooKeeper form of the address; the contract suite uses URLs
  }

  @AfterAll
  static void disconnect() {
    cloud.close();
  }

  @AfterEach
  void drop() throws Exception {
    opened.forEach(DocumentIndex::close);
    cluster.cluster.deleteAllCollections();
  }

  private IndexSettings.Builder settings() {
    return IndexSettings.builder().embeddingModel(model)
        .chunker(RecursiveChunker.builder(model.tokenCounter()).maxTokens(40).overlapTokens(8).build());
  }

  private DocumentIndex open(String name, IndexSettings settings) {
    DocumentIndex index = cloud.openIndex(name, settings, CollectionLayout.of(2, 2));
    opened.add(index);
    return index;
  }

  private static List<Document> corpus(int n, String version) {
    String[] topics = {"solar panels", "kidney dialysis", "graph databases", "medieval castles", "volcanic ash"};
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(Document.builder("d" + i, "Document " + i + " (" + version + ") is about " + topics[i % topics.length]
          + " and carries the marker m" + i + ". " + "Some filler text follows here. ".repeat(4)).build());
    }
    return docs;
  }

  private static List<String> ids(List<RetrievedChunk> hits) {
    return hits.stream().map(RetrievedChunk::chunkId).toList();
  }

  @Test
  void searchesStayCompleteWhileANodeGoesDown() throws Exception {
    DocumentIndex index = open("failover", settings().build());
    index.upsert(corpus(60, "v1"));
    List<SearchRequest> requests = new ArrayList<>();
    for (SearchMode mode : SearchMode.values()) {
      // Every chunk matches "marker": the whole corpus must come back, from whichever replicas answer.
      requests.add(SearchRequest.of(RetrievalQuery.of("kidney dialysis marker", 1_000), mode));
      requests.add(SearchRequest.of(RetrievalQuery.of("volcanic ash m42", 1_000), mode));
    }
    List<List<String>> expected = requests.stream().map(r -> ids(index.search(r))).toList();
    int chunks = index.currentSnapshot().orElseThrow().chunks();
    assertThat(expected.get(0)).hasSize(chunks);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger afterDown = new AtomicInteger();
    AtomicBoolean nodeDown = new AtomicBoolean();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CountDownLatch searching = new CountDownLatch(2);
    CountDownLatch enoughAfterDown = new CountDownLatch(1);
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread reader = new Thread(() -> {
        int i = 0;
        while (!stop.get()) {
          int which = i++ % requests.size();
          try {
            List<String> got = ids(index.search(requests.get(which)));
            // Replicas break ties between equal scores in their own document order, so compare the sets, and the
            // best BM25 chunk (only d42's has the term m42).
            if (!new HashSet<>(got).equals(new HashSet<>(expected.get(which)))
                || which == 1 && !got.get(0).equals(expected.get(which).get(0))) {
              problems.add("request " + which + " got " + got.size() + " chunks, expected " + expected.get(which)
                  .size());
            }
          } catch (RuntimeException e) {
            problems.add("request " + which + " failed: " + e);
          }
          if (i == 3) {
            searching.countDown();
          }
          if (nodeDown.get() && afterDown.incrementAndGet() >= 60) {
            enoughAfterDown.countDown();
          }
        }
      });
      reader.start();
      readers.add(reader);
    }
    TestCluster.await(searching);
    JettySolrRunner victim = cluster.nodes().get(1);
    cluster.cluster.stopJettySolrRunner(victim);
    cluster.cluster.waitForJettyToStop(victim);
    nodeDown.set(true);
    TestCluster.await(enoughAfterDown);
    stop.set(true);
    for (Thread r : readers) {
      r.join(60_000);
    }
    try {
      assertThat(problems).isEmpty();
      assertThat(afterDown.get()).isGreaterThanOrEqualTo(60);
    } finally {
      cluster.cluster.startJettySolrRunner(victim);
      cluster.cluster.waitForNode(victim, 60);
      String generation = index.currentSnapshot().orElseThrow().id();
      cluster.cluster.waitForActiveCollection(generation, 60, TimeUnit.SECONDS);
    }
  }

  @Test
  void snapshotsAreCollectionsAndRollbackMovesTheAlias() throws Exception {
    DocumentIndex index = open("handbook", settings().retainSnapshots(2).build());
    String s1 = index.upsert(corpus(5, "v1")).snapshotId();
    String s2 = index.upsert(corpus(5, "v2")).snapshotId();
    assertThat(s1).isEqualTo("handbook_g000001");
    assertThat(s2).isEqualTo("handbook_g000002");
    assertThat(aliases()).containsEntry("handbook", s2);

    Snapshot back = index.rollback(s1);
    assertThat(back.id()).isEqualTo(s1);
    assertThat(aliases()).containsEntry("handbook", s1);
    // Another process opening the index sees the rolled-back snapshot: the alias is the state.
    try (SolrCloud other = SolrCloud.connect(cluster.urls());
        DocumentIndex reader = other.openIndex("handbook", settings().build(), CollectionLayout.of(2, 2))) {
      assertThat(reader.currentSnapshot().orElseThrow().id()).isEqualTo(s1);
      assertThat(reader.search(SearchRequest.of(RetrievalQuery.of("marker m3", 1), SearchMode.BM25)).get(0).text())
          .contains("(v1)");
    }

    String s3 = index.upsert(corpus(6, "v1")).snapshotId();
    assertThat(s3).isEqualTo("handbook_g000003");
    assertThat(index.currentSnapshot().orElseThrow().parentId()).isEqualTo(s1);
    // Two retained: the current one and the newest other; the oldest collection is gone from the cluster.
    assertThat(index.snapshots()).extracting(Snapshot::id).containsExactly(s3, s2);
    assertThat(CollectionAdminRequest.listCollections(cluster.cluster.getSolrClient()))
        .contains(s2, s3).doesNotContain(s1);
  }

  @Test
  void anIngestionThatFailsMidwayIsResumedFromItsCheckpoint() {
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean failing = new AtomicBoolean(true);
    EmbeddingModel flaky = new EmbeddingModel() {
      @Override
      public EmbeddingResult embedAll(List<String> texts) {
        if (failing.get() && calls.incrementAndGet() > 6) {
          throw new UnavailableException("the embedding service went away");
        }
        return model.embedAll(texts);
      }

      @Override
      public String modelId() {
        return model.modelId();
      }
    };
    DocumentIndex index = open("resume", settings().embeddingModel(flaky).embeddingBatchSize(4).checkpointEvery(5)
        .build());
    String before = index.upsert(corpus(3, "v1")).snapshotId();
    assertThatThrownBy(() -> index.refresh(corpus(40, "v2"))).isInstanceOf(UnavailableException.class);
    // Searches still read the published snapshot; the checkpointed generation waits unpublished.
    assertThat(index.currentSnapshot().orElseThrow().id()).isEqualTo(before);
    assertThat(index.documentIds()).hasSize(3);

    failing.set(false);
    long textsBefore = model.textCount();
    IngestReport resumed = index.refresh(corpus(40, "v2"));
    assertThat(resumed.newSnapshot()).isTrue();
    assertThat(index.documentIds()).hasSize(40);
    int chunks = index.currentSnapshot().orElseThrow().chunks();
    assertThat(model.textCount() - textsBefore).isPositive().isLessThan(chunks);
    assertThat(index.search(SearchRequest.of(RetrievalQuery.of("marker m39", 1), SearchMode.BM25)).get(0).text())
        .contains("(v2)");
  }

  @Test
  void reopeningAnIndexReusesItsCollections() {
    try (DocumentIndex first = cloud.openIndex("again", settings().build(), CollectionLayout.of(2, 2))) {
      first.upsert(corpus(4, "v1"));
    }
    DocumentIndex second = open("again", settings().build());
    assertThat(second.currentSnapshot().orElseThrow().id()).isEqualTo("again_g000001");
    assertThat(second.upsert(corpus(4, "v1")).newSnapshot()).isFalse();
  }

  @Test
  void anIndexWithOtherHnswSettingsIsRefusedNamingTheDifference() {
    open("hnsw", settings().build()).upsert(corpus(2, "v1"));
    assertThatThrownBy(() -> cloud.openIndex("hnsw", settings().hnsw(32, 100).build(), CollectionLayout.of(2, 2)))
        .isInstanceOf(ConflictException.class).hasMessageContaining("hnsw_g000001")
        .hasMessageContaining("hnswMaxConnections=16").hasMessageContaining("32");
  }

  @Test
  void aCollectionThatIsNotAnLlmopsIndexIsRefused() throws Exception {
    DocumentIndex index = open("taken", settings().build());
    index.upsert(corpus(1, "v1"));
    String configSet = new ConfigSetAdminRequest.List().process(cluster.cluster.getSolrClient()).getConfigSets()
        .stream().filter(c -> c.startsWith("llmops-1-")).findFirst().orElseThrow();
    CollectionAdminRequest.createCollection("plain", configSet, 1, 1).process(cluster.cluster.getSolrClient());
    assertThatThrownBy(() -> cloud.openIndex("plain", settings().build(), CollectionLayout.single()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("collection named plain");
  }

  @Test
  void anUnreachableClusterIsNamedInTheError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String address = "http://127.0.0.1:" + port + "/solr";
    try (SolrCloud down = SolrCloud.connect(address)) {
      assertThatThrownBy(() -> down.openIndex("any", settings().build(), CollectionLayout.single()))
          .isInstanceOf(UnavailableException.class).hasMessageContaining(address);
    }
  }

  private static Map<String, String> aliases() throws Exception {
    return new CollectionAdminRequest.ListAliases().process(cluster.cluster.getSolrClient()).getAliases();
  }
}
