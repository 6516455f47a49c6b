package dev.llmops.inference;

import dev.llmops.core.embedding.Embedding;
import dev.llmops.inference.quantize.Agreement;
import dev.llmops.inference.quantize.AgreementCheck;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Checks a rewritten embedding model the way it will be used: both models embed the same sample texts, and the
 * mean cosine between their embeddings must reach the threshold (the worst text is reported too).
 *
 * <pre>{@code
 * ModelSource fp32 = ModelSource.directory(Path.of("models/minilm"));
 * ModelQuantizer.int8Dynamic().build().quantize(fp32Onnx, int8Onnx,
 *     EmbeddingAgreement.onTexts(fp32, sampleTexts, 0.99));
 * }</pre>
 *
 * <p>Both files are loaded with {@code source}'s tokenizer and descriptor (pooling, window, normalisation), one
 * after the other, on the CPU.
 */
public final class EmbeddingAgreement implements AgreementCheck {

  private final ModelSource source;
  private final List<String> texts;
  private final double threshold;

  private EmbeddingAgreement(ModelSource source, List<String> texts, double threshold) {
    this.source = source;
    this.texts = texts;
    this.threshold = threshold;
  }

  /**
   * A check on {@code texts} (at least one; tens to hundreds of texts like the ones the model will see) that
   * passes when the mean cosine reaches {@code meanThreshold}.
   */
  public static EmbeddingAgreement onTexts(ModelSource source, List<String> texts, double meanThreshold) {
    Objects.requireNonNull(source, "source");
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("an embedding agreement check needs at least one sample text");
    }
    if (!(meanThreshold > -1 && meanThreshold <= 1)) {
      throw new IllegalArgumentException("the threshold must be a cosine in (-1, 1] but was " + meanThreshold);
    }
    return new EmbeddingAgreement(source, List.copyOf(texts), meanThreshold);
  }

  @Override
  public Agreement measure(Path original, Path candidate) {
    List<Embedding> a = embed(original);
    List<Embedding> b = embed(candidate);
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < a.size(); i++) {
      double cosine = a.get(i).cosine(b.get(i));
      sum += cosine;
      min = Math.min(min, Double.isNaN(cosine) ? Double.NEGATIVE_INFINITY : cosine);
    }
    return new Agreement(sum / a.size(), min, a.size(), threshold, Agreement.Criterion.MEAN);
  }

  private List<Embedding> embed(Path file) {
    // One caller with all the samples: a queue that holds them all, and no timeout a slow candidate could hit.
    BatchingSettings batching = BatchingSettings.defaults().toBuilder().queueCapacity(1 << 20)
        .requestTimeout(java.time.Duration.ofHours(6)).build();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(source.withModelFile(file))
        .batching(batching).meterRegistry(new SimpleMeterRegistry()).build()) {
      return model.embedAll(texts).embeddings();
    }
  }
}
