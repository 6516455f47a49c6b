package dev.llmops.cli;

import dev.llmops.core.embedding.TokenCounter;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.inference.OverflowPolicy;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.SearchIndex;
import dev.llmops.rag.index.TextAnalysis;
import dev.llmops.rag.solr.CollectionLayout;
import dev.llmops.rag.solr.SolrCloud;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options {@code llmops index} and {@code llmops search} share: where the index is (a directory, or a collection
 * on SolrCloud) and how it was built. The
 * two commands must be given the same model, chunk size and analysis; an index opened with another model or
 * analysis is refused with a message naming both.
 */
final class IndexOptions {

  /** Where the index is: a directory, or a collection on SolrCloud. */
  @ArgGroup(exclusive = true, multiplicity = "1")
  Location location = new Location();

  /** {@code --index DIR} or {@code --solr ... --collection ...}, one of the two. */
  static final class Location {
    @Option(names = "--index", required = true, paramLabel = "DIR",
        description = "The index directory (created by 'llmops index' when empty or missing).")
    @Nullable Path index;

    @ArgGroup(exclusive = false, multiplicity = "1")
    @Nullable Solr solr;
  }

  /** The SolrCloud options, given together. */
  static final class Solr {
    @Option(names = "--solr", required = true, paramLabel = "ZK_OR_URL",
        description = "Instead of --index: a SolrCloud cluster, as ZooKeeper hosts (zk1:2181,zk2:2181/solr) or Solr "
            + "URLs (http://solr1:8983/solr,...).")
    String address = "";

    @Option(names = "--collection", required = true, paramLabel = "NAME",
        description = "With --solr: the index name, a collection alias over one collection per snapshot.")
    String collection = "";

    @Option(names = "--shards", paramLabel = "N", defaultValue = "1",
        description = "With --solr: shards of the collections 'llmops index' creates (default: ${DEFAULT-VALUE}).")
    int shards = 1;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
        description = "With --solr: copies of each shard, 2 or more to survive a node going down "
            + "(default: ${DEFAULT-VALUE}).")
    int replicas = 1;
  }

  /** The index directory, or {@code null} for a SolrCloud index. */
  @Nullable Path directory() {
    return location.index;
  }

  /** How messages and summaries name the index: its absolute directory, or the collection and cluster. */
  String describe() {
    Solr solr = location.solr;
    if (solr != null) {
      return "collection " + solr.collection + " on SolrCloud at " + solr.address;
    }
    return "index " + java.util.Objects.requireNonNull(location.index).toAbsolutePath();
  }

  @Option(names = "--model", paramLabel = "NAME|DIR|none", defaultValue = "all-minilm-l6-v2",
      description = "The embedding model: a built-in model (all-minilm-l6-v2, all-minilm-l6-v2-q), a model directory, "
          + "or 'none' for a BM25-only index (default: ${DEFAULT-VALUE}).")
  String model = "all-minilm-l6-v2";

  @Option(names = "--chunk-tokens", paramLabel = "N",
      description = "The most tokens in a chunk, counted with the model's tokenizer (default: the model's window; "
          + "256 without a model).")
  @Nullable Integer chunkTokens;

  @Option(names = "--overlap-tokens", paramLabel = "N",
      description = "Tokens a chunk repeats from the end of the one before (default: an eighth of --chunk-tokens).")
  @Nullable Integer overlapTokens;

  @Option(names = "--analysis", paramLabel = "english|standard", defaultValue = "english",
      description = "BM25 text analysis: english (stop words, Porter stemming) or standard (default: ${DEFAULT-VALUE}).")
  String analysis = "english";

  @Option(names = "--quantize-vectors", description = "Store vectors as int8 (a quarter of the memory) in a new index.")
  boolean quantize;

  /** An open index, the model it owns and its cluster connection, if any; closing closes all three. */
  record Opened<I extends SearchIndex>(I index, @Nullable OnnxEmbeddingModel model, @Nullable SolrCloud cloud)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        index.close();
      } finally {
        try {
          if (model != null) {
            model.close();
          }
        } finally {
          if (cloud != null) {
            cloud.close();
          }
        }
      }
    }
  }

  /** Opens the index for writing (one writer per directory; on SolrCloud, one writer per index at a time). */
  Opened<DocumentIndex> open() {
    Path dir = location.index;
    if (dir != null) {
      return open(settings -> DocumentIndex.lucene(dir, settings), null);
    }
    Solr solr = java.util.Objects.requireNonNull(location.solr);
    CollectionLayout layout = CollectionLayout.of(solr.shards, solr.replicas);
    SolrCloud cloud = SolrCloud.connect(solr.address);
    return open(settings -> cloud.openIndex(solr.collection, settings, layout), cloud);
  }

  /**
   * Opens the index for searching only: no lock, so it works while 'llmops index' writes (a SolrCloud index never
   * locks: searches read the generation its alias points at).
   */
  Opened<SearchIndex> openReadOnly() {
    Path dir = location.index;
    if (dir != null) {
      return open(settings -> SearchIndex.luceneReadOnly(dir, settings), null);
    }
    Opened<DocumentIndex> opened = open();
    return new Opened<>(opened.index(), opened.model(), opened.cloud());
  }

  private <I extends SearchIndex> Opened<I> open(Function<IndexSettings, I> opener, @Nullable SolrCloud cloud) {
    try {
      return openWith(opener, cloud);
    } catch (RuntimeException e) {
      if (cloud != null) {
        cloud.close();
      }
      throw e;
    }
  }

  private <I extends SearchIndex> Opened<I> openWith(Function<IndexSettings, I> opener, @Nullable SolrCloud cloud) {
    OnnxEmbeddingModel embeddings = "none".equals(model) ? null
        : OnnxEmbeddingModel.builder().source(ModelSource.of(model)).batching(TextRowsCommand.BATCHING)
            .overflow(OverflowPolicy.FAIL).build();
    try {
      TokenCounter counter = embeddings != null ? embeddings.tokenCounter() : TokenCounter.approximate(512);
      RecursiveChunker.Builder chunker = RecursiveChunker.builder(counter)
          .maxTokens(chunkTokens != null ? chunkTokens : embeddings != null ? counter.maxTokens() : 256);
      if (overlapTokens != null) {
        chunker.overlapTokens(overlapTokens);
      }
      IndexSettings settings = IndexSettings.builder()
          .embeddingModel(embeddings)
          .chunker(chunker.build())
          .analysis(TextAnalysis.valueOf(analysis.toUpperCase(Locale.ROOT)))
          .quantizeVectors(quantize)
          .build();
      return new Opened<>(opener.apply(settings), embeddings, cloud);
    } catch (RuntimeException e) {
      if (embeddings != null) {
        embeddings.close();
      }
      throw e;
    }
  }
}
