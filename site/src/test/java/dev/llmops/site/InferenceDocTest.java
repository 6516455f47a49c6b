package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.inference.BatchingSettings;
import dev.llmops.inference.EmbeddingAgreement;
import dev.llmops.inference.ExecutionSettings;
import dev.llmops.inference.InferenceStats;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.inference.OverflowPolicy;
import dev.llmops.inference.quantize.ModelQuantizer;
import dev.llmops.inference.quantize.QuantizationReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The examples of site/src/docs/inference.md; they run as tests. */
class InferenceDocTest {

  @Test
  void embed() {
    String longDocument = "Dynamic batching groups requests. ".repeat(120);
    Embedding question;
    Embedding document;
    double similarity;
    // tag::embed[]
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder()
        .source(ModelSource.builtIn("all-minilm-l6-v2-q"))   // int8; "all-minilm-l6-v2" is fp32
        .build()) {
      EmbeddingResult result = model.embedAll(List.of("How do I reset my password?", longDocument));
      question = result.get(0);                               // 384 floats, unit length
      document = result.get(1);                               // CHUNKED: split into windows, every token counted
      similarity = question.cosine(document);
    }
    // end::embed[]
    assertThat(question.dimension()).isEqualTo(384);
    assertThat(document.handling()).isEqualTo(InputHandling.CHUNKED);
    assertThat(document.tokenCount()).isGreaterThan(256);
    assertThat(similarity).isBetween(-1.0, 1.0);
  }

  @Test
  void quantize(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path fp32Onnx = dir.resolve("fp32.onnx");
    java.nio.file.Path int8Onnx = dir.resolve("int8.onnx");
    ModelSource source = ModelSource.builtIn("all-minilm-l6-v2"); // or ModelSource.directory(...) of an fp32 export
    source.writeModelFile(fp32Onnx);
    List<String> sampleTexts = List.of("How do I reset my password?", "Where is my parcel?", "Cancel my order.");
    // tag::quantize[]
    QuantizationReport report = ModelQuantizer.int8Dynamic()
        .build()
        .quantize(fp32Onnx, int8Onnx, EmbeddingAgreement.onTexts(source, sampleTexts, 0.99));
    // Written only if the mean cosine of the two models' embeddings reached 0.99:
    System.out.println(report.agreement() + ", " + report.outputBytes() + " bytes");
    // end::quantize[]
    assertThat(report.agreement().passed()).isTrue();
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
