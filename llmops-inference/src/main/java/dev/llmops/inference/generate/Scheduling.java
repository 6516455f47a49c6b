package dev.llmops.inference.generate;

/** How the engine groups sequences into ONNX Runtime calls. */
public enum Scheduling {
  /**
   * Iteration-level scheduling (Orca, vLLM): every step runs one batched decode over all running sequences; new
   * sequences join and finished ones leave between steps; prompts are prefilled in chunks between decode steps; the
   * cache grows block by block.
   */
  CONTINUOUS,
  /**
   * Request-level batching, as {@code generate()} of Hugging Face and onnxruntime-genai's static batches: up to
   * {@code maxBatchSequences} queued requests start together with cache reserved for the longest prompt plus the
   * largest answer, and the next batch starts only when the whole batch is done. Kept to compare against; with
   * {@code maxBatchSequences} 1 it is sequential generation.
   */
  STATIC
}
