package dev.llmops.rag.internal;

import dev.llmops.core.retrieval.RetrievalQuery;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which chunks a search may see: the caller's tenant and groups and the query's metadata filters. Every store
 * applies it inside its query.
 *
 * @param tenant the caller's tenant or {@code null}
 * @param groups the caller's groups
 * @param filters metadata fields that must equal the given values
 */
public record Scope(@Nullable String tenant, Set<String> groups, Map<String, String> filters) {

  /** The scope of a query. */
  public static Scope of(RetrievalQuery query) {
    return new Scope(query.tenant(), query.groups(), query.filters());
  }

  /** Whether a chunk with this access control and metadata is visible. */
  public boolean admits(StoredChunk chunk) {
    if (!chunk.access().allows(tenant, groups)) {
      return false;
    }
    for (Map.Entry<String, String> f : filters.entrySet()) {
      if (!f.getValue().equals(chunk.metadata().get(f.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
