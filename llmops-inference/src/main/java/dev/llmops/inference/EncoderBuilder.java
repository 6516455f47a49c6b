package dev.llmops.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the builders of every ONNX encoder model share: the source, where it runs, how it batches, the longest text
 * and where its meters go.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class EncoderBuilder<B extends EncoderBuilder<B>> {
  @Nullable ModelSource source;
  ExecutionSettings execution = ExecutionSettings.cpu();
  BatchingSettings batching = BatchingSettings.defaults();
  int maxInputChars = 100_000;
  MeterRegistry meters = Metrics.globalRegistry;

  abstract B self();

  /** Where the model's files come from; required. */
  public B source(ModelSource modelSource) {
    this.source = Objects.requireNonNull(modelSource, "modelSource");
    return self();
  }

  /** Where and how ONNX Runtime runs; {@link ExecutionSettings#cpu()} by default. */
  public B execution(ExecutionSettings settings) {
    this.execution = Objects.requireNonNull(settings, "settings");
    return self();
  }

  /** How concurrent calls are grouped into ONNX Runtime calls; {@link BatchingSettings#defaults()} by default. */
  public B batching(BatchingSettings settings) {
    this.batching = Objects.requireNonNull(settings, "settings");
    return self();
  }

  /** The longest text accepted, in chars; 100,000 by default (about 25,000 tokens of English). */
  public B maxInputChars(int chars) {
    if (chars <= 0) {
      throw new IllegalArgumentException("maxInputChars must be positive but was " + chars);
    }
    this.maxInputChars = chars;
    return self();
  }

  /** Where the {@code llmops.inference.*} meters go; Micrometer's global registry by default. */
  public B meterRegistry(MeterRegistry registry) {
    this.meters = Objects.requireNonNull(registry, "registry");
    return self();
  }

  /** Loads the runtime every model is built on; {@code what} names the model kind in the missing-source error. */
  EncoderRuntime runtime(String what, boolean pairs) {
    if (source == null) {
      throw new IllegalStateException(what + " needs a source: call source(ModelSource)");
    }
    return new EncoderRuntime(source, execution, batching, maxInputChars, pairs, meters);
  }
}
