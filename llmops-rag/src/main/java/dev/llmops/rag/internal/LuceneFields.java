package dev.llmops.rag.internal;

/** Field names and sentinel values of the Lucene index layout (format 1). */
final class LuceneFields {
  static final String TYPE = "type";
  static final String TYPE_CHUNK = "chunk";
  static final String TYPE_DOCUMENT = "document";
  static final String DOC_ID = "doc_id";
  static final String HASH = "hash";
  static final String CHUNK_COUNT = "chunk_count";
  static final String ORDINAL = "ordinal";
  /** The analysed title and passage, for BM25. */
  static final String CONTENT = "content";
  static final String TEXT = "text";
  static final String START = "start";
  static final String END = "end";
  static final String PAGE = "page";
  static final String TITLE = "title";
  static final String SOURCE = "source";
  static final String VECTOR = "vector";
  static final String TENANT = "acl_tenant";
  static final String GROUP = "acl_group";
  /** Metadata field name prefix; the field is indexed as an exact string and stored. */
  static final String META = "m.";
  /** The tenant value of documents without a tenant (no real tenant can be it: tenants are not blank). */
  static final String NO_TENANT = "\u0000";
  /** The group value of documents open to their whole tenant. */
  static final String ANY_GROUP = "\u0000any";

  // Commit user data keys.
  static final String KIND = "llmops.kind";
  static final String KIND_SNAPSHOT = "snapshot";
  static final String KIND_CHECKPOINT = "checkpoint";
  static final String SNAPSHOT = "llmops.snapshot";
  static final String PARENT = "llmops.parent";
  static final String CREATED = "llmops.created";
  static final String SEQUENCE = "llmops.sequence";
  static final String DOCUMENTS = "llmops.documents";
  static final String CHUNKS = "llmops.chunks";
  static final String FORMAT = "llmops.format";
  /**
   * "true" when the commit holds, or its history held, a document with a tenant or groups. Until one arrives,
   * searches skip the access filter (every chunk is public) and tenant-scoped searches find nothing.
   */
  static final String RESTRICTED = "llmops.restricted";
  /** Prefix of the engine's properties (model, dimension, analysis) in commit user data. */
  static final String PROPERTY = "llmops.p.";

  private LuceneFields() {}
}
