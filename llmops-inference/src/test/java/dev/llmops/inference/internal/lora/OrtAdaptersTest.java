package dev.llmops.inference.internal.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtLoraAdapter;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import dev.llmops.inference.internal.onnx.TensorProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtAdaptersTest {

  @TempDir
  Path dir;

  private static OnnxGraph scalarModel() {
    GraphBuilder b = new GraphBuilder();
    b.input("x", DataType.FLOAT, 1L);
    b.inputWithDefault(TensorProto.ofFloats("s", new long[0], new float[] {1f}));
    b.output("x", DataType.FLOAT, 1L);
    return b.graph("scalar");
  }

  @Test
  void aGoodAdapterIsLoaded() throws Exception {
    Path file = dir.resolve("good.onnx_adapter");
    Files.write(file, AdapterFilesTest.handmade(true));

    try (OrtLoraAdapter adapter = OrtAdapters.load(file, scalarModel())) {
      assertThat(adapter).isNotNull();
    }
  }

  @Test
  void anAdapterThatDoesNotFitTheModelIsRefusedBeforeOnnxRuntimeSeesIt() {
    byte[] bytes = AdapterFiles.toBytes(AdapterFile.of(AdapterParameter.ofFloats("s", new long[] {1}, 1f)));

    assertThatThrownBy(() -> OrtAdapters.load(bytes, "vector.onnx_adapter", scalarModel()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("vector.onnx_adapter")
        .hasMessageContaining("the ranks differ");
  }

  /**
   * ONNX Runtime 1.24.1 passes a parameter without dims through its flatbuffers verifier and then dereferences the
   * missing vector: the JVM dies with SIGSEGV. This child JVM pins that (when a release fixes it, this fails and
   * the reader's rule can be relaxed); in this JVM the same file is refused with an error.
   */
  @Test
  void aFileThatCrashesOnnxRuntimeIsRefusedHere() throws Exception {
    Path file = dir.resolve("nodims.onnx_adapter");
    Files.write(file, AdapterFilesTest.handmade(false));

    ChildRun child = runChild(file);
    assertThat(child.exitCode).as("the child's output: %s", child.output).isNotZero();
    assertThat(child.output).contains("SIGSEGV").doesNotContain("loaded");
    ChildRun control = runChild(dir.resolve("good.onnx_adapter"));
    assertThat(control.exitCode).as("a child given a good file: %s", control.output).isZero();

    assertThatThrownBy(() -> OrtAdapters.load(file, scalarModel()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("has no dims vector");
  }

  private record ChildRun(int exitCode, String output) {}

  private ChildRun runChild(Path adapter) throws IOException, InterruptedException {
    if (adapter.getFileName().toString().equals("good.onnx_adapter")) {
      Files.write(adapter, AdapterFilesTest.handmade(true));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
        "-cp", System.getProperty("java.class.path"), OrtAdapterCrashChild.class.getName(), adapter.toString())
        .redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new ChildRun(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
