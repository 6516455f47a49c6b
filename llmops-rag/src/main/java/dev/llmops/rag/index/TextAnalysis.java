package dev.llmops.rag.index;

/** How text is cut into terms for BM25. An index keeps the analysis it was built with. */
public enum TextAnalysis {
  /** Lower case, English stop words removed, Porter stemming ("studies" and "study" match). */
  ENGLISH,
  /** Unicode word boundaries and lower case only; for any language. */
  STANDARD
}
