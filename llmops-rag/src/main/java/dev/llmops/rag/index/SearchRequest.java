package dev.llmops.rag.index;

import dev.llmops.core.retrieval.RetrievalQuery;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search with the choices {@link dev.llmops.core.retrieval.Retriever#retrieve} leaves to the index's
 * settings. A {@code null} or 0 field takes the index's default.
 *
 * @param query the text, topK, metadata filters, the caller's tenant and groups, and a pinned snapshot
 * @param mode BM25, dense or hybrid; {@code null} for the index's default
 * @param fusion how hybrid merges the two lists; {@code null} for the index's default
 * @param candidates how many chunks each mode contributes before fusion, re-ranking and grouping; 0 for
 *     the index's default. Never fewer than {@code topK} are fetched
 * @param onePerDocument return at most one chunk per document, its best, so that {@code topK} counts
 *     documents (as a TREC run does); a re-ranker then scores the best fused chunk of each document, and its
 *     depth counts documents too
 * @param rerank whether the index's {@link dev.llmops.core.scoring.ScoringModel} re-ranks the candidates;
 *     {@code null} re-ranks exactly when the index has one
 */
public record SearchRequest(
    RetrievalQuery query, @Nullable SearchMode mode, @Nullable Fusion fusion, int candidates, boolean onePerDocument,
    @Nullable Boolean rerank) {

  /** Validates. */
  public SearchRequest {
    Objects.requireNonNull(query, "query");
    if (candidates < 0) {
      throw new IllegalArgumentException("candidates must be 0 (the default) or more but was " + candidates);
    }
  }

  /** A request with every choice left to the index. */
  public static SearchRequest of(RetrievalQuery query) {
    return new SearchRequest(query, null, null, 0, false, null);
  }

  /** A request in {@code mode} with the other choices left to the index. */
  public static SearchRequest of(RetrievalQuery query, SearchMode mode) {
    return new SearchRequest(query, mode, null, 0, false, null);
  }

  /** A builder for {@code query}. */
  public static Builder builder(RetrievalQuery query) {
    return new Builder(query);
  }

  /** Builds a {@link SearchRequest}. Not thread-safe. */
  public static final class Builder {
    private final RetrievalQuery query;
    private @Nullable SearchMode mode;
    private @Nullable Fusion fusion;
    private int candidates;
    private boolean onePerDocument;
    private @Nullable Boolean rerank;

    private Builder(RetrievalQuery query) {
      this.query = query;
    }

    /** The mode. */
    public Builder mode(SearchMode mode) {
      this.mode = mode;
      return this;
    }

    /** The hybrid fusion. */
    public Builder fusion(Fusion fusion) {
      this.fusion = fusion;
      return this;
    }

    /** Chunks per mode before fusion. */
    public Builder candidates(int candidates) {
      this.candidates = candidates;
      return this;
    }

    /** At most one chunk per document. */
    public Builder onePerDocument(boolean onePerDocument) {
      this.onePerDocument = onePerDocument;
      return this;
    }

    /** Whether to re-rank. */
    public Builder rerank(boolean rerank) {
      this.rerank = rerank;
      return this;
    }

    /** Builds the request. */
    public SearchRequest build() {
      return new SearchRequest(query, mode, fusion, candidates, onePerDocument, rerank);
    }
  }
}
