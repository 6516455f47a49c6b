package dev.llmops.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.llmops.core.embedding.Embedding;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The embedding model on the CUDA execution provider. Runs only where ONNX Runtime has CUDA (the
 * {@code onnxruntime_gpu} artifact and an NVIDIA GPU); elsewhere it is skipped and says why.
 */
class GpuEmbeddingTest {

  @Test
  void embedsOnCudaAndAgreesWithTheCpu() {
    Assumptions.assumeTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "skipped: this ONNX Runtime has no CUDA provider (providers: " + OrtEnvironment.getAvailableProviders()
            + "); run with the onnxruntime_gpu artifact on a machine with an NVIDIA GPU");
    List<String> claims = ModelFixtures.claims();
    try (OnnxEmbeddingModel gpu = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2"))
            .execution(ExecutionSettings.cuda(0).withFallbackToCpu(false))
            .meterRegistry(new SimpleMeterRegistry()).build();
        OnnxEmbeddingModel cpu = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2"))
            .meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThat(gpu.provider()).isEqualTo(ExecutionProvider.CUDA);
      List<Embedding> g = gpu.embedAll(claims).embeddings();
      List<Embedding> c = cpu.embedAll(claims).embeddings();
      for (int i = 0; i < claims.size(); i++) {
        assertThat(g.get(i).cosine(c.get(i))).as("claim %d", i).isGreaterThan(0.999);
      }
    }
  }
}
