package dev.llmops.core.internal.routing;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.embedding.Embedding;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The semantic entries of one (scope, context) pair of the response cache: the most recent answers whose requests
 * differ only in the last user message, each with that message's unit-length embedding. Immutable, so lookups scan
 * it without locking; a store replaces the group with {@link #with}.
 */
public final class SemanticGroup {

  /**
   * One cached answer.
   *
   * @param exactKey the exact digest of the request it answered, so a repeated store replaces rather than duplicates
   * @param unit the last user message's embedding, normalised to length 1; never modified
   * @param response the answer
   * @param cost what the answer cost
   * @param storedAt the ticker reading when it was stored
   */
  public record Entry(String exactKey, float[] unit, ChatResponse response, double cost, long storedAt) {}

  /**
   * The best match of a lookup.
   *
   * @param entry the most similar live entry
   * @param similarity its cosine similarity with the query, at most 1
   */
  public record Match(Entry entry, double similarity) {}

  private final List<Entry> entries; // oldest first

  private SemanticGroup(List<Entry> entries) {
    this.entries = entries;
  }

  /** The number of entries, live or expired; the group's weight in the cache. */
  public int size() {
    return entries.size();
  }

  /**
   * A group with {@code added} as its newest entry: entries older than {@code ttlNanos} at {@code added.storedAt()}
   * and any earlier entry of the same exact key are dropped, then the oldest beyond {@code capacity}.
   *
   * @param group the current group, or {@code null} for none
   * @param added the new entry
   * @param ttlNanos how long entries live
   * @param capacity the most entries kept; at least 1
   * @return the new group
   */
  public static SemanticGroup with(@Nullable SemanticGroup group, Entry added, long ttlNanos, int capacity) {
    List<Entry> kept = new ArrayList<>(group == null ? 1 : Math.min(group.entries.size() + 1, capacity));
    if (group != null) {
      for (Entry e : group.entries) {
        if (added.storedAt() - e.storedAt() < ttlNanos && !e.exactKey().equals(added.exactKey())) {
          kept.add(e);
        }
      }
      // Remaining over capacity: drop the oldest (the list is oldest first).
      int over = kept.size() + 1 - capacity;
      if (over > 0) {
        kept.subList(0, over).clear();
      }
    }
    kept.add(added);
    return new SemanticGroup(List.copyOf(kept));
  }

  /**
   * The live entry (younger than {@code ttlNanos} at {@code now}) most similar to {@code query}, if its similarity
   * reaches {@code threshold}. Entries of another dimension are skipped.
   *
   * @param query a unit-length vector
   * @param threshold the least cosine similarity served
   * @param now the ticker reading
   * @param ttlNanos how long entries live
   * @return the match, or {@code null} if none reaches the threshold
   */
  public @Nullable Match best(float[] query, double threshold, long now, long ttlNanos) {
    Entry best = null;
    double bestSimilarity = Double.NEGATIVE_INFINITY;
    for (Entry e : entries) {
      if (now - e.storedAt() >= ttlNanos || e.unit().length != query.length) {
        continue;
      }
      double dot = 0;
      float[] v = e.unit();
      for (int i = 0; i < v.length; i++) {
        dot += (double) v[i] * query[i];
      }
      if (dot > bestSimilarity) {
        bestSimilarity = dot;
        best = e;
      }
    }
    if (best == null || bestSimilarity < threshold) {
      return null;
    }
    return new Match(best, Math.min(1.0, bestSimilarity));
  }

  /**
   * {@code embedding} scaled to length 1.
   *
   * @param embedding a vector
   * @return the unit vector, or {@code null} if the vector has length 0 or a component that is not finite
   */
  public static float @Nullable [] unit(Embedding embedding) {
    float[] v = embedding.vector();
    double squares = 0;
    for (float x : v) {
      squares += (double) x * x;
    }
    double norm = Math.sqrt(squares);
    if (!(norm > 0) || !Double.isFinite(norm)) {
      return null;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }
}
