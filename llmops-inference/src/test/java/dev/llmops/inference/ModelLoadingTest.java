package dev.llmops.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories, descriptors, SHA-256 pinning, damaged files and provider fallback. */
class ModelLoadingTest {

  @TempDir Path dir;

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ModelLoadingTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private Path copyBuiltIn(String name) throws IOException {
    Files.write(dir.resolve("model.onnx"), resource(name + ".onnx"));
    Files.write(dir.resolve("tokenizer.json"), resource(name + "-tokenizer.json"));
    return dir;
  }

  @Test
  void aDirectoryLoadsWithHuggingFaceDefaultsAndItsOwnDescriptor() throws IOException {
    copyBuiltIn("all-minilm-l6-v2-q");
    Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 128}");
    ModelSource source = ModelSource.directory(dir);
    assertThat(source.descriptor().maxTokens()).isEqualTo(128);
    assertThat(source.descriptor().pooling()).isEqualTo(Pooling.MEAN);
    Files.writeString(dir.resolve("llmops-model.json"), "{\"maxTokens\": 64, \"pooling\": \"cls\"}");
    ModelSource own = ModelSource.of(dir.toString());
    assertThat(own.descriptor().maxTokens()).isEqualTo(64);
    assertThat(own.descriptor().pooling()).isEqualTo(Pooling.CLS);
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(own)
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThat(model.maxTokens()).isEqualTo(64);
      assertThat(model.embed(ModelFixtures.longText("x", 100, 1)).tokenCount()).isGreaterThan(64);
    }
  }

  @Test
  void robertaStyleModelsLoseThePaddingPositions() throws IOException {
    copyBuiltIn("all-minilm-l6-v2-q");
    Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"xlm-roberta\", \"max_position_embeddings\": 514}");
    assertThat(ModelSource.directory(dir).descriptor().maxTokens()).isEqualTo(512);
    Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"max_position_embeddings\": 512}");
    assertThat(ModelSource.directory(dir).descriptor().maxTokens()).isEqualTo(512);
  }

  @Test
  void aPinnedDigestThatDoesNotMatchIsRefused() throws IOException {
    copyBuiltIn("all-minilm-l6-v2-q");
    ModelSource source = ModelSource.directory(dir).descriptor(d -> d.withSha256("0".repeat(64)));
    assertThatThrownBy(() -> OnnxEmbeddingModel.load(source))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1")
        .hasMessageContaining("was pinned");
    ModelSource right = ModelSource.directory(dir).descriptor(d -> d.withSha256(
        "AFDB6F1A0E45B715D0BB9B11772F032C399BABD23BFC31FED1C170AFC848BDB1"));
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(right)
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThat(model.embed("pinned").dimension()).isEqualTo(384);
    }
  }

  @Test
  void aDamagedModelFileIsNamedInTheError() throws IOException {
    copyBuiltIn("all-minilm-l6-v2-q");
    byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
    Files.write(dir.resolve("model.onnx"), Arrays.copyOf(bytes, bytes.length / 3));
    assertThatThrownBy(() -> OnnxEmbeddingModel.load(ModelSource.directory(dir)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(dir.resolve("model.onnx").toString());
    Files.writeString(dir.resolve("model.onnx"), "not a model at all");
    assertThatThrownBy(() -> OnnxEmbeddingModel.load(ModelSource.directory(dir)))
        .isInstanceOf(CorruptDataException.class);
    Files.write(dir.resolve("model.onnx"), bytes);
    Files.writeString(dir.resolve("tokenizer.json"), "{ broken");
    assertThatThrownBy(() -> OnnxEmbeddingModel.load(ModelSource.directory(dir)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("tokenizer");
    // The built-in model still loads: a bad directory harmed nothing else.
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThat(model.embed("fine").dimension()).isEqualTo(384);
    }
  }

  @Test
  void missingFilesAndUnknownNamesAreNotFound() throws IOException {
    assertThatThrownBy(() -> ModelSource.directory(dir.resolve("nope"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ModelSource.builtIn("gpt-5")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("all-minilm-l6-v2");
    assertThatThrownBy(() -> ModelSource.of("no-such-model-or-dir")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> OnnxEmbeddingModel.load(ModelSource.directory(dir)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("tokenizer.json");
    Files.writeString(dir.resolve("llmops-model.json"), "{\"pooling\": \"max\"}");
    assertThatThrownBy(() -> ModelSource.directory(dir)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("llmops-model.json");
  }

  @Test
  void anUnavailableGpuFallsBackToTheCpuAndCountsIt() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
        "this ONNX Runtime has CUDA; the fallback cannot be shown here");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .execution(ExecutionSettings.cuda(0)).meterRegistry(registry).build()) {
      assertThat(model.provider()).isEqualTo(ExecutionProvider.CPU);
      assertThat(registry.get("llmops.inference.provider.fallback").tag("requested", "cuda").counter().count())
          .isEqualTo(1.0);
      assertThat(model.embed("on the cpu").dimension()).isEqualTo(384);
    }
    assertThatThrownBy(() -> OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .execution(ExecutionSettings.cuda(0).withFallbackToCpu(false)).meterRegistry(registry).build())
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("onnxruntime_gpu");
  }

  @Test
  void settingsRejectBadValuesByName() {
    assertThatThrownBy(() -> BatchingSettings.builder().maxBatchSize(0).build())
        .hasMessageContaining("maxBatchSize must be positive but was 0");
    assertThatThrownBy(() -> BatchingSettings.builder().runOverheadTokens(-1).build())
        .hasMessageContaining("runOverheadTokens must not be negative but was -1");
    assertThatThrownBy(() -> ExecutionSettings.cpu().withIntraOpThreads(-1)).hasMessageContaining("intraOpThreads");
    assertThatThrownBy(() -> ModelDescriptor.defaults().withSha256("xyz")).hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> OnnxEmbeddingModel.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .windowOverlap(300).meterRegistry(new SimpleMeterRegistry()).build())
        .hasMessageContaining("windowOverlap 300");
  }
}
