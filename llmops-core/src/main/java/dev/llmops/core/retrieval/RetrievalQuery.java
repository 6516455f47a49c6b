package dev.llmops.core.retrieval;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to retrieve and on whose behalf.
 *
 * @param text the query text
 * @param topK the most chunks to return, at least 1
 * @param filters metadata fields that must equal the given values
 * @param tenant the caller's tenant; documents of other tenants are never returned. {@code null} means
 *     the query is not tenant-scoped (only documents without a tenant are visible)
 * @param groups the caller's groups; a document restricted to groups is visible if it shares one
 * @param snapshotId the index snapshot to read, or {@code null} for the current one
 */
public record RetrievalQuery(
    String text, int topK, Map<String, String> filters, @Nullable String tenant, Set<String> groups,
    @Nullable String snapshotId) {

  /** Validates and copies. */
  public RetrievalQuery {
    if (text.isBlank()) {
      throw new IllegalArgumentException("a retrieval query needs text");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1 but was " + topK);
    }
    filters = Map.copyOf(filters);
    groups = Set.copyOf(groups);
  }

  /** A query for the top {@code topK} chunks with no filters, no tenant and the current snapshot. */
  public static RetrievalQuery of(String text, int topK) {
    return builder(text).topK(topK).build();
  }

  /** A builder for a query with {@code text}; topK defaults to 5. */
  public static Builder builder(String text) {
    return new Builder(text);
  }

  /** Builds a {@link RetrievalQuery}. Not thread-safe. */
  public static final class Builder {
    private final String text;
    private int topK = 5;
    private final Map<String, String> filters = new LinkedHashMap<>();
    private @Nullable String tenant;
    private final Set<String> groups = new LinkedHashSet<>();
    private @Nullable String snapshotId;

    private Builder(String text) {
      this.text = text;
    }

    /** The most chunks to return. */
    public Builder topK(int topK) {
      this.topK = topK;
      return this;
    }

    /** Requires metadata field {@code name} to equal {@code value}. */
    public Builder filter(String name, String value) {
      filters.put(name, value);
      return this;
    }

    /** The caller's tenant. */
    public Builder tenant(@Nullable String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** Adds groups the caller belongs to. */
    public Builder groups(String... groups) {
      java.util.Collections.addAll(this.groups, groups);
      return this;
    }

    /** Pins an index snapshot. */
    public Builder snapshot(@Nullable String snapshotId) {
      this.snapshotId = snapshotId;
      return this;
    }

    /** Builds the query, checking every value. */
    public RetrievalQuery build() {
      return new RetrievalQuery(text, topK, filters, tenant, groups, snapshotId);
    }
  }
}
