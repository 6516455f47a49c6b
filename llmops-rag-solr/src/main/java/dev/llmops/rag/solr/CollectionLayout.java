package dev.llmops.rag.solr;

import dev.llmops.core.InvalidRequestException;

/**
 * How each collection generation of a SolrCloud index is laid out: shards split the chunks (and the query load of a
 * search across them), replicas copy every shard so a search still answers completely with a node down.
 *
 * <p>Applies to generations created from now on; existing ones keep the layout they were created with.
 *
 * @param shards how many shards, at least 1
 * @param replicationFactor copies of each shard (NRT replicas), at least 1; 2 or more survives a node going down
 */
public record CollectionLayout(int shards, int replicationFactor) {

  /**
   * Validates.
   *
   * @throws InvalidRequestException if a count is below 1, naming it
   */
  public CollectionLayout {
    if (shards < 1) {
      throw new InvalidRequestException("a collection needs at least 1 shard but was given " + shards);
    }
    if (replicationFactor < 1) {
      throw new InvalidRequestException("a collection needs a replication factor of at least 1 but was given "
          + replicationFactor);
    }
  }

  /** A layout of {@code shards} shards with {@code replicationFactor} copies each. */
  public static CollectionLayout of(int shards, int replicationFactor) {
    return new CollectionLayout(shards, replicationFactor);
  }

  /** One shard, one copy: for a single-node cluster or a trial. */
  public static CollectionLayout single() {
    return new CollectionLayout(1, 1);
  }
}
