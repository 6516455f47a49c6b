package dev.llmops.rag.solr;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.UnavailableException;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.internal.IndexEngine;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;

/**
 * A connection to a SolrCloud cluster, and the factory of the indexes on it. Thread-safe; share one per cluster
 * across the application, and close it after the indexes opened from it.
 *
 * <pre>{@code
 * try (SolrCloud cloud = SolrCloud.connect("zk1:2181,zk2:2181/solr");
 *     DocumentIndex index = cloud.openIndex("handbook", IndexSettings.of(embeddings), CollectionLayout.of(2, 2))) {
 *   index.refresh(documents);
 * }
 * }</pre>
 */
public final class SolrCloud implements AutoCloseable {

  private final CloudSolrClient client;
  private final String address;
  private final boolean owned;

  private SolrCloud(CloudSolrClient client, String address, boolean owned) {
    this.client = client;
    this.address = address;
    this.owned = owned;
  }

  /**
   * Connects to a cluster. Nothing is sent until the first index is opened.
   *
   * @param zkOrUrls either ZooKeeper hosts with an optional chroot ({@code zk1:2181,zk2:2181/solr}), or the HTTP
   *     addresses of one or more Solr nodes ({@code http://solr1:8983/solr,http://solr2:8983/solr}); the cluster
   *     state is then read from those nodes
   * @return the connection
   * @throws InvalidRequestException if the address is blank or mixes the two forms
   */
  public static SolrCloud connect(String zkOrUrls) {
    List<String> parts = Arrays.stream(zkOrUrls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (parts.isEmpty()) {
      throw new InvalidRequestException("a SolrCloud address is needed but was '" + zkOrUrls + "'");
    }
    long urls = parts.stream().filter(p -> p.startsWith("http://") || p.startsWith("https://")).count();
    CloudSolrClient client;
    if (urls == parts.size()) {
      client = new CloudHttp2SolrClient.Builder(parts).build();
    } else if (urls == 0) {
      // ZooKeeper hosts; a chroot follows the last host: "zk1:2181,zk2:2181/solr".
      String last = parts.get(parts.size() - 1);
      int slash = last.indexOf('/');
      Optional<String> chroot = slash < 0 ? Optional.empty() : Optional.of(last.substring(slash));
      List<String> hosts = new java.util.ArrayList<>(parts);
      if (slash >= 0) {
        hosts.set(hosts.size() - 1, last.substring(0, slash));
      }
      client = new CloudHttp2SolrClient.Builder(hosts, chroot)
          .withZkConnectTimeout(15, TimeUnit.SECONDS)
          .withZkClientTimeout(30, TimeUnit.SECONDS)
          .build();
    } else {
      throw new InvalidRequestException("a SolrCloud address is either ZooKeeper hosts or Solr URLs, not both, "
          + "but was '" + zkOrUrls + "'");
    }
    return new SolrCloud(client, zkOrUrls, true);
  }

  /**
   * Uses a client the caller configured (authentication, TLS, timeouts) and keeps owning: {@link #close()} leaves it
   * open.
   *
   * @param client the client
   * @param address how to name the cluster in messages
   */
  public static SolrCloud using(CloudSolrClient client, String address) {
    return new SolrCloud(client, address, false);
  }

  /** The address given, as messages name it. */
  public String address() {
    return address;
  }

  /**
   * Opens the index {@code name} on this cluster, creating nothing until the first ingestion: the index is the
   * collection alias {@code name} over generations {@code name_g000001}, {@code name_g000002}, ... (one per
   * snapshot; the library uploads the config set they use). Opening an existing index checks it was built with
   * the same embedding model, analysis and HNSW parameters.
   *
   * @param name the index name: letters, digits, '.', '_' and '-', starting with a letter or digit
   * @param settings the settings, as for the embedded index; {@code quantizeVectors} does not apply
   * @param layout shards and replicas of the generations this index creates
   * @return the open index; closing it leaves this connection open
   * @throws InvalidRequestException if the name is not valid
   * @throws UnavailableException if the cluster cannot be reached, naming its address
   * @throws dev.llmops.core.ConflictException if {@code name} is a collection or alias that is not an llmops
   *     index, or an index whose schema or settings differ (the message says what differs)
   */
  public DocumentIndex openIndex(String name, IndexSettings settings, CollectionLayout layout) {
    return new IndexEngine(SolrStore.open(client, address, name, settings, layout), settings);
  }

  /**
   * Deletes an index: its alias, every generation and nothing else (the config set stays for other indexes).
   * Close the index first; a missing index is not an error.
   *
   * @param name the index name
   * @throws UnavailableException if the cluster cannot be reached
   */
  public void deleteIndex(String name) {
    SolrStore.checkName(name);
    try {
      if (new CollectionAdminRequest.ListAliases().process(client).getAliases().containsKey(name)) {
        CollectionAdminRequest.deleteAlias(name).process(client);
      }
      for (String collection : CollectionAdminRequest.listCollections(client)) {
        if (SolrStore.sequenceOf(name, collection) > 0) {
          CollectionAdminRequest.deleteCollection(collection).process(client);
        }
      }
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw SolrStore.failure(address, "delete index " + name, e);
    }
  }

  /** Closes the client when this connection created it. */
  @Override
  public void close() {
    if (owned) {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Override
  public String toString() {
    return "SolrCloud[" + address + "]";
  }
}
