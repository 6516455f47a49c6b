package dev.llmops.rag.index;

import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.TokenCounter;
import dev.llmops.core.scoring.ScoringModel;
import dev.llmops.rag.chunk.Chunker;
import dev.llmops.rag.chunk.RecursiveChunker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an index chunks, embeds, stores and searches. Immutable; build with {@link #builder()}, or start from
 * another with {@link #from(IndexSettings)}.
 *
 * <p>Without an embedding model the index is lexical only: BM25 works, dense and hybrid searches are refused.
 */
public final class IndexSettings {

  private final @Nullable EmbeddingModel embeddingModel;
  private final Chunker chunker;
  private final TextAnalysis analysis;
  private final @Nullable SearchMode defaultMode;
  private final Fusion fusion;
  private final int candidates;
  private final @Nullable ScoringModel reranker;
  private final int rerankDepth;
  private final int retainSnapshots;
  private final boolean quantizeVectors;
  private final int hnswMaxConnections;
  private final int hnswBeamWidth;
  private final int embeddingBatchSize;
  private final int maxDocumentChars;
  private final int checkpointEvery;
  private final MeterRegistry meterRegistry;
  private final Clock clock;

  private IndexSettings(Builder b) {
    this.embeddingModel = b.embeddingModel;
    this.chunker = b.chunker != null ? b.chunker : RecursiveChunker.of(TokenCounter.approximate(256));
    this.analysis = b.analysis;
    this.defaultMode = b.defaultMode;
    this.fusion = b.fusion;
    this.candidates = b.candidates;
    this.reranker = b.reranker;
    this.rerankDepth = b.rerankDepth;
    this.retainSnapshots = b.retainSnapshots;
    this.quantizeVectors = b.quantizeVectors;
    this.hnswMaxConnections = b.hnswMaxConnections;
    this.hnswBeamWidth = b.hnswBeamWidth;
    this.embeddingBatchSize = b.embeddingBatchSize;
    this.maxDocumentChars = b.maxDocumentChars;
    this.checkpointEvery = b.checkpointEvery;
    this.meterRegistry = b.meterRegistry;
    this.clock = b.clock;
  }

  /** Settings with an embedding model and every default. */
  public static IndexSettings of(EmbeddingModel embeddingModel) {
    return builder().embeddingModel(embeddingModel).build();
  }

  /** A builder with the defaults described on each method. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from {@code base}'s values. */
  public static Builder from(IndexSettings base) {
    Builder b = new Builder();
    b.embeddingModel = base.embeddingModel;
    b.chunker = base.chunker;
    b.analysis = base.analysis;
    b.defaultMode = base.defaultMode;
    b.fusion = base.fusion;
    b.candidates = base.candidates;
    b.reranker = base.reranker;
    b.rerankDepth = base.rerankDepth;
    b.retainSnapshots = base.retainSnapshots;
    b.quantizeVectors = base.quantizeVectors;
    b.hnswMaxConnections = base.hnswMaxConnections;
    b.hnswBeamWidth = base.hnswBeamWidth;
    b.embeddingBatchSize = base.embeddingBatchSize;
    b.maxDocumentChars = base.maxDocumentChars;
    b.checkpointEvery = base.checkpointEvery;
    b.meterRegistry = base.meterRegistry;
    b.clock = base.clock;
    return b;
  }

  /** The embedding model, or {@code null} for a lexical-only index. */
  public @Nullable EmbeddingModel embeddingModel() {
    return embeddingModel;
  }

  /** The chunker. */
  public Chunker chunker() {
    return chunker;
  }

  /** The BM25 text analysis. */
  public TextAnalysis analysis() {
    return analysis;
  }

  /** The mode of {@link DocumentIndex#retrieve}: hybrid with an embedding model, else BM25, unless set. */
  public SearchMode defaultMode() {
    if (defaultMode != null) {
      return defaultMode;
    }
    return embeddingModel != null ? SearchMode.HYBRID : SearchMode.BM25;
  }

  /** The hybrid fusion. */
  public Fusion fusion() {
    return fusion;
  }

  /** Chunks each mode contributes before fusion and re-ranking. */
  public int candidates() {
    return candidates;
  }

  /** The re-ranking model, or {@code null}. */
  public @Nullable ScoringModel reranker() {
    return reranker;
  }

  /** How many fused candidates the re-ranker scores. */
  public int rerankDepth() {
    return rerankDepth;
  }

  /** How many snapshots are kept, the current one included. */
  public int retainSnapshots() {
    return retainSnapshots;
  }

  /** Whether the Lucene index stores vectors quantized to int8. */
  public boolean quantizeVectors() {
    return quantizeVectors;
  }

  /** HNSW graph degree (Lucene's {@code maxConn}). */
  public int hnswMaxConnections() {
    return hnswMaxConnections;
  }

  /** HNSW construction beam width. */
  public int hnswBeamWidth() {
    return hnswBeamWidth;
  }

  /** Chunks per embedding call. */
  public int embeddingBatchSize() {
    return embeddingBatchSize;
  }

  /** The longest document text accepted, in characters; longer ones fail alone. */
  public int maxDocumentChars() {
    return maxDocumentChars;
  }

  /** Documents between the durable checkpoints of a long ingestion, from which a crashed run resumes. */
  public int checkpointEvery() {
    return checkpointEvery;
  }

  /** Where the index's meters go. */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** The clock for snapshot times and durations. */
  public Clock clock() {
    return clock;
  }

  /** Builds {@link IndexSettings}. Not thread-safe. */
  public static final class Builder {
    private @Nullable EmbeddingModel embeddingModel;
    private @Nullable Chunker chunker;
    private TextAnalysis analysis = TextAnalysis.ENGLISH;
    private @Nullable SearchMode defaultMode;
    private Fusion fusion = Fusion.reciprocalRank();
    private int candidates = 100;
    private @Nullable ScoringModel reranker;
    private int rerankDepth = 50;
    private int retainSnapshots = 10;
    private boolean quantizeVectors;
    private int hnswMaxConnections = 16;
    private int hnswBeamWidth = 100;
    private int embeddingBatchSize = 64;
    private int maxDocumentChars = 10_000_000;
    private int checkpointEvery = 1_000;
    private MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /** The embedding model for chunks and queries; none makes a lexical-only index. */
    public Builder embeddingModel(@Nullable EmbeddingModel embeddingModel) {
      this.embeddingModel = embeddingModel;
      return this;
    }

    /**
     * The chunker. Default: {@link RecursiveChunker} measuring with {@link TokenCounter#approximate(int)} and
     * 256 tokens; pass one built on the embedding model's own token counter so chunks fit its window exactly.
     */
    public Builder chunker(Chunker chunker) {
      this.chunker = Objects.requireNonNull(chunker, "chunker");
      return this;
    }

    /** The BM25 analysis; default {@link TextAnalysis#ENGLISH}. */
    public Builder analysis(TextAnalysis analysis) {
      this.analysis = Objects.requireNonNull(analysis, "analysis");
      return this;
    }

    /** The mode of {@link DocumentIndex#retrieve}; default hybrid with an embedding model, else BM25. */
    public Builder defaultMode(SearchMode mode) {
      this.defaultMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The hybrid fusion; default {@link Fusion#reciprocalRank()}. */
    public Builder fusion(Fusion fusion) {
      this.fusion = Objects.requireNonNull(fusion, "fusion");
      return this;
    }

    /** Chunks each mode contributes before fusion; default 100. */
    public Builder candidates(int candidates) {
      this.candidates = atLeast("candidates", candidates, 1);
      return this;
    }

    /**
     * Re-ranks the top {@code depth} fused candidates with a cross-encoder; its score becomes the chunk's.
     *
     * @param reranker the scoring model
     * @param depth how many candidates it scores, at least 1
     */
    public Builder reranker(ScoringModel reranker, int depth) {
      this.reranker = Objects.requireNonNull(reranker, "reranker");
      this.rerankDepth = atLeast("rerank depth", depth, 1);
      return this;
    }

    /** How many snapshots to keep, the current one included; default 10. */
    public Builder retainSnapshots(int count) {
      this.retainSnapshots = atLeast("retained snapshots", count, 1);
      return this;
    }

    /** Store vectors quantized to int8 in the Lucene index (a quarter of the memory); default off. */
    public Builder quantizeVectors(boolean quantize) {
      this.quantizeVectors = quantize;
      return this;
    }

    /** HNSW degree and construction beam width; defaults 16 and 100, as Lucene's. */
    public Builder hnsw(int maxConnections, int beamWidth) {
      this.hnswMaxConnections = atLeast("HNSW max connections", maxConnections, 2);
      this.hnswBeamWidth = atLeast("HNSW beam width", beamWidth, 1);
      return this;
    }

    /** Chunks per embedding call; default 64. */
    public Builder embeddingBatchSize(int size) {
      this.embeddingBatchSize = atLeast("embedding batch size", size, 1);
      return this;
    }

    /** The longest document accepted, in characters; default 10,000,000. */
    public Builder maxDocumentChars(int chars) {
      this.maxDocumentChars = atLeast("max document chars", chars, 1);
      return this;
    }

    /** Documents between durable checkpoints of a long ingestion; default 1,000. */
    public Builder checkpointEvery(int documents) {
      this.checkpointEvery = atLeast("checkpoint interval", documents, 1);
      return this;
    }

    /** Where meters go; default a private {@link SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock; default the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the settings. */
    public IndexSettings build() {
      return new IndexSettings(this);
    }

    private static int atLeast(String what, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + " but was " + value);
      }
      return value;
    }
  }
}
