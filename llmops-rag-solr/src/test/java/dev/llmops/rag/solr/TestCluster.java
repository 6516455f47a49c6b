package dev.llmops.rag.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real SolrCloud cluster (two Solr nodes and an embedded ZooKeeper on loopback) for every test class of the
 * module: starting one costs seconds on a small machine, so it is started once per test JVM and shut down when the
 * JUnit run ends.
 */
final class TestCluster implements ExtensionContext.Store.CloseableResource {

  static final int NODES = 2;
  private static TestCluster instance;

  final MiniSolrCloudCluster cluster;
  final Path baseDir;

  private TestCluster() throws Exception {
    baseDir = Files.createTempDirectory("llmops-solr-cluster");
    // The test framework reads these; outside Solr's own randomized runner nobody sets them.
    System.setProperty("solr.install.dir", baseDir.toString());
    System.setProperty("solr.log.dir", baseDir.resolve("logs").toString());
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("solr.cloud.wait-for-updates-with-stale-state-pause", "500");
    cluster = new MiniSolrCloudCluster.Builder(NODES, baseDir.resolve("nodes"))
        .withMetrics(false)
        .build();
  }

  /** The cluster, started on first use and stopped at the end of the test run. */
  static synchronized TestCluster get(ExtensionContext context) {
    if (instance == null) {
      try {
        instance = new TestCluster();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test SolrCloud cluster", e);
      }
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(TestCluster.class, instance);
    }
    return instance;
  }

  /** The HTTP address of every running node, comma-separated: what a user passes to {@code SolrCloud.connect}. */
  String urls() {
    return String.join(",", cluster.getJettySolrRunners().stream().filter(JettySolrRunner::isRunning)
        .map(j -> j.getBaseUrl().toString()).toList());
  }

  /** The ZooKeeper address with its chroot. */
  String zk() {
    return cluster.getZkServer().getZkAddress();
  }

  List<JettySolrRunner> nodes() {
    return cluster.getJettySolrRunners();
  }

  @Override
  public void close() throws Exception {
    synchronized (TestCluster.class) {
      instance = null;
    }
    cluster.shutdown();
  }

  static void await(java.util.concurrent.CountDownLatch latch) throws InterruptedException {
    if (!latch.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("timed out waiting for a latch");
    }
  }
}
