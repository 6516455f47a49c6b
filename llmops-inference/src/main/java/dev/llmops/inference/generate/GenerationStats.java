package dev.llmops.inference.generate;

/**
 * A snapshot of a model's generation engine. The same figures go to Micrometer as {@code llmops.generation.*}.
 *
 * @param running sequences in the cache now
 * @param queued sequences waiting for admission now
 * @param kvBlocksUsed cache blocks held now
 * @param kvBlocksTotal cache blocks under the memory cap
 * @param steps ONNX Runtime calls made (prefill and decode)
 * @param promptTokens prompt tokens prefilled (recomputed ones after a preemption included)
 * @param generatedTokens tokens generated
 * @param finished sequences finished (any reason, failures included)
 * @param preemptions sequences moved out of the cache to make room
 * @param runNanos time spent inside ONNX Runtime calls
 */
public record GenerationStats(
    int running,
    int queued,
    int kvBlocksUsed,
    int kvBlocksTotal,
    long steps,
    long promptTokens,
    long generatedTokens,
    long finished,
    long preemptions,
    long runNanos) {}
