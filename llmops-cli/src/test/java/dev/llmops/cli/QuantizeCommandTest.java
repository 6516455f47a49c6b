package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmops quantize} on the built-in fp32 MiniLM. */
class QuantizeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return LlmOpsCommand.commandLine(new LlmOpsCommand(), new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void writesAnInt8ModelThatAgreesOnTheSampleTexts() throws Exception {
    Path sample = dir.resolve("sample.jsonl");
    Files.write(sample, List.of("{\"id\":1,\"text\":\"Vitamin D reduces respiratory infections.\"}",
        "{\"id\":2,\"text\":\"High salt intake raises blood pressure.\"}",
        "{\"id\":3,\"text\":\"Regular exercise improves memory in older adults.\"}"));
    Path output = dir.resolve("minilm-int8.onnx");
    int status = run("quantize", "--model", "all-minilm-l6-v2", "--out", output.toString(), "--sample",
        sample.toString());
    assertThat(status).as(err.toString()).isZero();
    JsonNode report = JSON.readTree(out.toString());
    assertThat(report.path("nodes_quantized").asInt()).isGreaterThanOrEqualTo(36);
    assertThat(report.path("output_bytes").asLong()).isLessThan(report.path("input_bytes").asLong() / 3);
    assertThat(report.path("agreement").path("criterion").asText()).isEqualTo("mean");
    assertThat(report.path("agreement").path("mean_cosine").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(Files.size(output)).isEqualTo(report.path("output_bytes").asLong());

    // The written file is a model like any other: copy the tokenizer beside it and embed.
    Path modelDir = Files.createDirectories(dir.resolve("int8"));
    Files.move(output, modelDir.resolve("model.onnx"));
    try (var tokenizer = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
      Files.write(modelDir.resolve("tokenizer.json"), tokenizer.readAllBytes());
    }
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.directory(modelDir)
        .descriptor(d -> d.withMaxTokens(256))).meterRegistry(new SimpleMeterRegistry()).build()) {
      Embedding e = model.embed("it works");
      assertThat(e.dimension()).isEqualTo(384);
    }
  }

  @Test
  void aCopyThatDoesNotAgreeIsNotWritten() {
    Path output = dir.resolve("never.onnx");
    int status = run("quantize", "--model", "all-minilm-l6-v2", "--out", output.toString(), "--threshold", "1.0");
    assertThat(status).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("does not agree").contains("nothing was written");
    assertThat(output).doesNotExist();
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(run("quantize", "--model", "all-minilm-l6-v2", "--out", dir.resolve("x.onnx").toString(), "--to",
        "int4")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--to must be int8 or fp16");
    assertThat(run("quantize", "--model", "no-such-model", "--out", dir.resolve("x.onnx").toString()))
        .isEqualTo(ExitCodes.FAILED);
  }
}
