package dev.llmops.inference;

/** How an encoder's per-token vectors become one vector per text. */
public enum Pooling {
  /** The mean of the vectors of the real (unpadded) tokens, as sentence-transformers models are trained. */
  MEAN,
  /** The vector of the first token ({@code [CLS]}), as BGE and E5-style models are trained. */
  CLS
}
