package dev.llmops.guardrails.grounding;

/**
 * How an answer marks which retrieved chunks a sentence relies on. A chunk id is whatever
 * {@link dev.llmops.core.retrieval.RetrievedChunk#chunkId()} says (llmops-rag uses {@code documentId#ordinal},
 * such as {@code handbook.md#3}).
 */
public enum CitationStyle {
  /**
   * Square brackets with one or more ids separated by commas or semicolons: {@code [handbook.md#3]},
   * {@code [handbook.md#3, faq.md#1]}, {@code [1]} (the first retrieved chunk, when numbered citations are on),
   * with an optional {@code source:} prefix. A bracket followed by {@code (} is a Markdown link, not a citation.
   */
  BRACKETS,
  /** Markdown footnote references: {@code [^handbook.md#3]}. */
  FOOTNOTE,
  /** Lenticular brackets as some assistants emit: {@code 【handbook.md#3】}; text after a dagger ({@code †}) is ignored. */
  LENTICULAR
}
