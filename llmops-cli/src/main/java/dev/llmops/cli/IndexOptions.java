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
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options {@code llmops index} and {@code llmops search} share: where the index is and how it was built. The
 * two commands must be given the same model, chunk size and analysis; an index opened with another model or
 * analysis is refused with a message naming both.
 */
final class IndexOptions {

  @Option(names = "--index", required = true, paramLabel = "DIR",
      description = "The index directory (created by 'llmops index' when empty or missing).")
  Path index = Path.of(".");

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

  /** An open index and the model it owns; closing closes both. */
  record Opened<I extends SearchIndex>(I index, @Nullable OnnxEmbeddingModel model) implements AutoCloseable {
    @Override
    public void close() {
      try {
        index.close();
      } finally {
        if (model != null) {
          model.close();
        }
      }
    }
  }

  /** Opens the index for writing (one writer per directory). */
  Opened<DocumentIndex> open() {
    return open(settings -> DocumentIndex.lucene(index, settings));
  }

  /** Opens the index for searching only: no lock, so it works while 'llmops index' writes. */
  Opened<SearchIndex> openReadOnly() {
    return open(settings -> SearchIndex.luceneReadOnly(index, settings));
  }

  private <I extends SearchIndex> Opened<I> open(Function<IndexSettings, I> opener) {
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
      return new Opened<>(opener.apply(settings), embeddings);
    } catch (RuntimeException e) {
      if (embeddings != null) {
        embeddings.close();
      }
      throw e;
    }
  }
}
