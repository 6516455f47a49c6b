package dev.llmops.benchmarks;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * LangChain4j's {@link InMemoryEmbeddingStore}, the store its RAG examples start with: {@code addAll} of every base
 * vector (ids "0", "1", ...; the store wraps the arrays, it does not copy them), then
 * {@code search(EmbeddingSearchRequest)} with {@code maxResults(k)}. It scans every entry and computes cosine
 * similarity with both norms, so it is exact search too; recall below 1 comes from float rounding at near ties.
 */
final class LangChain4jInMemorySearch implements VectorSearchSubject {

  static final String NAME = "langchain4j-inmemory";

  private InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void build(VectorSet base) {
    List<String> ids = new ArrayList<>(base.size());
    List<Embedding> embeddings = new ArrayList<>(base.size());
    for (int i = 0; i < base.size(); i++) {
      ids.add(Integer.toString(i));
      embeddings.add(Embedding.from(base.get(i)));
    }
    // One addAll: add() one at a time copies the store's CopyOnWriteArrayList each time.
    store.addAll(ids, embeddings, Collections.nCopies(base.size(), null));
  }

  @Override
  public int[] search(float[] query, int k) {
    List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
        .queryEmbedding(Embedding.from(query)).maxResults(k).build()).matches();
    int[] ids = new int[matches.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Integer.parseInt(matches.get(i).embeddingId());
    }
    return ids;
  }

  @Override
  public void close() {
    store = new InMemoryEmbeddingStore<>();
  }
}
