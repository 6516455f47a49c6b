package dev.llmops.inference;

import java.time.Duration;

/** What every ONNX encoder model offers beyond its own calls: its id, where it runs, its counters and closing. */
abstract class EncoderModel implements AutoCloseable {

  final EncoderRuntime runtime;

  EncoderModel(EncoderRuntime runtime) {
    this.runtime = runtime;
  }

  /** The model's id: the built-in name, the directory's name, or {@link ModelSource#withId(String)}. */
  public String modelId() {
    return runtime.modelId();
  }

  /** The provider the model actually runs on (CPU when a GPU was asked for but is not available). */
  public ExecutionProvider provider() {
    return runtime.provider();
  }

  /** Batcher counters since the model was built. */
  public InferenceStats stats() {
    return runtime.stats();
  }

  /**
   * Refuses new calls, runs what is queued for up to {@code drain} (rows still queued then fail with
   * {@code UnavailableException}), waits for the running batch and releases the native session and tokenizers.
   * Calls after that throw {@code IllegalStateException}; closing again does nothing.
   */
  public void close(Duration drain) {
    runtime.close(drain);
  }

  /** {@link #close(Duration)} with 30 seconds to drain. */
  @Override
  public void close() {
    runtime.close();
  }
}
