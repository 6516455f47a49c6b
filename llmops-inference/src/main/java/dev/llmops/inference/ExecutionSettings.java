package dev.llmops.inference;

import java.util.Objects;

/**
 * How ONNX Runtime executes a model: provider, device, threads and graph optimisation.
 *
 * <p>The default is the CPU with one intra-op thread per available core and one inter-op thread. Callers never
 * multiply ONNX Runtime's threads: they queue in the batcher, whose workers share the session's one intra-op pool,
 * so on a 2-core machine the same few threads compute however many callers wait.
 *
 * @param provider where to run
 * @param deviceId the GPU ordinal for CUDA and TensorRT
 * @param intraOpThreads threads ONNX Runtime uses inside one operator; 0 means one per available core
 * @param interOpThreads threads for running independent operators in parallel; 1 (sequential) suits encoders
 * @param optimization graph optimisation level applied when the session is created
 * @param fallbackToCpu whether an unavailable GPU provider falls back to the CPU (with a warning) or fails
 * @param spinWait whether idle ONNX Runtime threads spin; off by default so that waiting threads leave the cores
 *     to tokenisation and to the rest of the application
 * @param fuseAttention whether, on the CPU, each BERT-style self-attention block of the model is replaced by ONNX
 *     Runtime's fused {@code com.microsoft:Attention} operator before the session is created (on by default). ONNX
 *     Runtime's own optimizer does not fuse the attention of the usual PyTorch exports; on all-MiniLM-L6-v2 the fused
 *     graph computes the same embeddings (per-token cosine above 0.9999999) about 10% faster on a 2-core CPU (median
 *     of 6 noisy rounds; 0.97x to 1.12x by batch shape). Models whose attention does not match the pattern exactly
 *     (int8 models among them) are loaded unchanged
 */
public record ExecutionSettings(
    ExecutionProvider provider,
    int deviceId,
    int intraOpThreads,
    int interOpThreads,
    GraphOptimization optimization,
    boolean fallbackToCpu,
    boolean spinWait,
    boolean fuseAttention) {

  public ExecutionSettings {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(optimization, "optimization");
    if (deviceId < 0) {
      throw new IllegalArgumentException("deviceId must not be negative but was " + deviceId);
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be 0 (one per core) or more but was " + intraOpThreads);
    }
    if (interOpThreads <= 0) {
      throw new IllegalArgumentException("interOpThreads must be positive but was " + interOpThreads);
    }
  }

  /** Graph optimisation levels of ONNX Runtime. */
  public enum GraphOptimization {
    NONE,
    BASIC,
    EXTENDED,
    ALL
  }

  /** CPU, one intra-op thread per core, all graph optimisations. */
  public static ExecutionSettings cpu() {
    return new ExecutionSettings(ExecutionProvider.CPU, 0, 0, 1, GraphOptimization.ALL, true, false, true);
  }

  /** CUDA on the given GPU, falling back to the CPU when CUDA is not available. */
  public static ExecutionSettings cuda(int deviceId) {
    return new ExecutionSettings(ExecutionProvider.CUDA, deviceId, 0, 1, GraphOptimization.ALL, true, false, true);
  }

  /** TensorRT on the given GPU (CUDA for operators TensorRT lacks), falling back to the CPU when unavailable. */
  public static ExecutionSettings tensorRt(int deviceId) {
    return new ExecutionSettings(ExecutionProvider.TENSORRT, deviceId, 0, 1, GraphOptimization.ALL, true, false, true);
  }

  public ExecutionSettings withIntraOpThreads(int threads) {
    return new ExecutionSettings(provider, deviceId, threads, interOpThreads, optimization, fallbackToCpu, spinWait,
        fuseAttention);
  }

  public ExecutionSettings withInterOpThreads(int threads) {
    return new ExecutionSettings(provider, deviceId, intraOpThreads, threads, optimization, fallbackToCpu, spinWait,
        fuseAttention);
  }

  public ExecutionSettings withOptimization(GraphOptimization level) {
    return new ExecutionSettings(provider, deviceId, intraOpThreads, interOpThreads, level, fallbackToCpu, spinWait,
        fuseAttention);
  }

  public ExecutionSettings withFallbackToCpu(boolean fallback) {
    return new ExecutionSettings(provider, deviceId, intraOpThreads, interOpThreads, optimization, fallback, spinWait,
        fuseAttention);
  }

  public ExecutionSettings withSpinWait(boolean spin) {
    return new ExecutionSettings(provider, deviceId, intraOpThreads, interOpThreads, optimization, fallbackToCpu, spin,
        fuseAttention);
  }

  /** These settings with the self-attention fusion on the CPU switched on or off (see {@link #fuseAttention()}). */
  public ExecutionSettings withFuseAttention(boolean fuse) {
    return new ExecutionSettings(provider, deviceId, intraOpThreads, interOpThreads, optimization, fallbackToCpu,
        spinWait, fuse);
  }

  /** The intra-op thread count that will be used: the configured one, or the number of available cores. */
  public int effectiveIntraOpThreads() {
    return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
  }
}
