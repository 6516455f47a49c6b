package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.inference.BatchingSettings;
import dev.llmops.inference.ExecutionSettings;
import dev.llmops.inference.InferenceStats;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.inference.OverflowPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The examples of site/src/docs/inference.md; they run as tests. */
class InferenceDocTest {

  @Test
  void embed() {
    String longDocument = "Dynamic batching groups requests. ".repeat(120);
    // tag::embed[]
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder()
        .source(ModelSource.builtIn("all-minilm-l6-v2-q"))   // int8; "all-minilm-l6-v2" is fp32
        .build()) {
      EmbeddingResult result = model.embedAll(List.of("How do I reset my password?", longDocument));
      Embedding question = result.get(0);                     // 384 floats, unit length
      Embedding document = result.get(1);
      // The long document was split into windows, every token counted: document.handling() is CHUNKED and
      // document.tokenCount() is its full length.
      double similarity = question.cosine(document);
      // end::embed[]
      assertThat(question.dimension()).isEqualTo(384);
      assertThat(document.handling()).isEqualTo(InputHandling.CHUNKED);
      assertThat(similarity).isBetween(-1.0, 1.0);
    }
  }

  @Test
  void configure() throws Exception {
    // tag::configure[]
    OnnxEmbeddingModel model = OnnxEmbeddingModel.builder()
        .source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .execution(ExecutionSettings.cuda(0))                 // falls back to the CPU, with a warning, without a GPU
        .batching(BatchingSettings.builder()
            .maxBatchSize(32)                                 // rows per ONNX Runtime call
            .maxBatchTokens(8_192)                            // padded tokens per call
            .maxQueueDelay(Duration.ofMillis(2))              // longest wait for a batch to fill
            .queueCapacity(4_096)                             // beyond this, RateLimitedException at once
            .requestTimeout(Duration.ofSeconds(10))
            .build())
        .overflow(OverflowPolicy.CHUNK)                       // or TRUNCATE, or FAIL
        .build();

    CompletableFuture<EmbeddingResult> pending = model.embedAllAsync(List.of("queued without blocking"));
    EmbeddingResult result = pending.get();                  // pending.cancel(true) drops rows not yet run
    InferenceStats stats = model.stats();                    // batches, rows, padding ratio, tokens/s
    model.close();                                           // finishes queued work, then frees the session
    // end::configure[]
    assertThat(result.size()).isEqualTo(1);
    assertThat(stats.rows()).isEqualTo(1);
  }
}
