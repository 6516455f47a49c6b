package dev.llmops.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.embedding.Embedding;
import dev.llmops.inference.quantize.Agreement;
import dev.llmops.inference.quantize.AgreementFailedException;
import dev.llmops.inference.quantize.ModelQuantizer;
import dev.llmops.inference.quantize.QuantizationReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our int8 quantizer on the real fp32 MiniLM, checked with embeddings of sample texts, and compared with the
 * published int8 file.
 */
class QuantizedEmbeddingTest {

  @TempDir Path dir;

  @Test
  void ourInt8AgreesWithFp32OnTextsAtLeastAsWellAsThePublishedInt8() throws IOException {
    ModelSource fp32 = ModelSource.builtIn("all-minilm-l6-v2");
    Path original = dir.resolve("fp32.onnx");
    fp32.writeModelFile(original);
    Path ours = dir.resolve("ours-int8.onnx");
    List<String> claims = ModelFixtures.claims();

    QuantizationReport report = ModelQuantizer.int8Dynamic().build()
        .quantize(original, ours, EmbeddingAgreement.onTexts(fp32, claims, 0.99));

    assertThat(report.agreement().criterion()).isEqualTo(Agreement.Criterion.MEAN);
    assertThat(report.agreement().meanCosine()).isGreaterThanOrEqualTo(0.99);
    assertThat(report.agreement().samples()).isEqualTo(claims.size());
    Path published = dir.resolve("published-int8.onnx");
    ModelSource.builtIn("all-minilm-l6-v2-q").writeModelFile(published);
    assertThat((double) Files.size(ours)).isBetween(0.7 * Files.size(published), 1.3 * Files.size(published));
    Agreement theirs = EmbeddingAgreement.onTexts(fp32, claims, 0.99).measure(original, published);
    assertThat(report.agreement().meanCosine()).isGreaterThanOrEqualTo(theirs.meanCosine() - 0.002);

    // Per-token activation scales: a text's int8 vector does not depend on its batch neighbours.
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(fp32.withModelFile(ours))
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      List<Embedding> batched = model.embedAll(claims).embeddings();
      for (int i = 0; i < 5; i++) {
        assertThat(model.embed(claims.get(i)).cosine(batched.get(i))).isGreaterThanOrEqualTo(0.9999);
      }
    }
  }

  @Test
  void aTextCheckThatFailsWritesNothing() throws IOException {
    ModelSource fp32 = ModelSource.builtIn("all-minilm-l6-v2");
    Path original = dir.resolve("fp32.onnx");
    fp32.writeModelFile(original);
    Path target = dir.resolve("int8.onnx");
    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(original, target,
        EmbeddingAgreement.onTexts(fp32, ModelFixtures.claims().subList(0, 8), 0.99999)))
        .isInstanceOf(AgreementFailedException.class)
        .hasMessageContaining("mean threshold 0.99999");
    assertThat(target).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("fp32.onnx");
    }
  }
}
