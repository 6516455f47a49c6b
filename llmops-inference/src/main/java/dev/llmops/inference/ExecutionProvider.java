package dev.llmops.inference;

/**
 * Where ONNX Runtime runs a model. {@link #CUDA} and {@link #TENSORRT} need the {@code onnxruntime_gpu}
 * artifact in place of {@code onnxruntime} and an NVIDIA driver; when they are not available the model falls
 * back to {@link #CPU} with a warning and the counter {@code llmops.inference.provider.fallback}, unless
 * {@link ExecutionSettings#fallbackToCpu()} is off, in which case loading fails.
 */
public enum ExecutionProvider {
  CPU,
  CUDA,
  TENSORRT
}
