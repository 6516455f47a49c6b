package dev.llmops.inference.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxAttribute;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import dev.llmops.inference.internal.onnx.RawFields;
import dev.llmops.inference.testing.ModelResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fp16ConverterTest {

  @TempDir Path dir;

  @Test
  void miniLmInFloat16AgreesWithFloat32AtHalfTheSize() throws Exception {
    Path input = ModelResources.copy(ModelResources.MINILM, dir.resolve("minilm.onnx"));
    Path output = dir.resolve("minilm-fp16.onnx");

    Fp16Report report = Fp16Converter.convert(input, output, AgreementCheck.syntheticEncoderInputs(6, 11, 0.99));

    assertThat(report.agreement().passed()).isTrue();
    assertThat(report.agreement().minCosine()).isGreaterThanOrEqualTo(0.99);
    assertThat(report.sizeRatio()).isBetween(0.45, 0.55);
    assertThat(report.outputBytes()).isEqualTo(Files.size(output));
    assertThat(report.tensorsConverted()).isGreaterThan(100);

    OnnxGraph graph = OnnxFiles.read(output).graph();
    assertThat(graph.inputs()).allMatch(v -> v.elemType() == DataType.INT64);
    assertThat(graph.outputs()).singleElement().satisfies(v -> {
      assertThat(v.name()).isEqualTo("last_hidden_state");
      assertThat(v.elemType()).isEqualTo(DataType.FLOAT);
    });
    assertThat(graph.initializers()).noneMatch(t -> t.dataTypeOrUndefined() == DataType.FLOAT);
    assertThat(graph.initializersByName().get("embeddings.word_embeddings.weight").dataType())
        .isEqualTo(DataType.FLOAT16);
    assertThat(graph.nodes()).filteredOn(n -> n.is("Cast") && n.outputs().contains("last_hidden_state")).hasSize(1);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(input, output);
    }
  }

  @Test
  void floatInputsAndOutputsStayFloat32AndResizeScalesStayFloat32() throws Exception {
    GraphBuilder b = new GraphBuilder();
    b.input("image", DataType.FLOAT, 1L, 2L, "h", "w");
    String w = b.floats("w", new long[] {2}, 0.5f, -2f);
    String scaled = b.op("Mul", List.of("image", b.floats("gain", new long[] {1, 2, 1, 1}, 3f, 0.25f)));
    String scales = b.floats("scales", new long[] {4}, 1, 1, 2, 2);
    String resized = b.op("Resize", List.of(scaled, "", scales), OnnxAttribute.of("mode", "nearest"));
    String transposed = b.op("Transpose", List.of(resized), OnnxAttribute.ofInts("perm", 0, 2, 3, 1));
    b.add("MatMul", List.of(transposed, w), List.of("out"));
    b.output("out", DataType.FLOAT, 1L, "H", "W");
    Path input = dir.resolve("resize.onnx");
    OnnxFiles.write(b.model("g", 13), input);
    Path output = dir.resolve("resize-fp16.onnx");

    Fp16Report report = Fp16Converter.convert(input, output, AgreementCheck.syntheticEncoderInputs(3, 5, 0.999));

    OnnxGraph graph = OnnxFiles.read(output).graph();
    assertThat(graph.initializersByName().get("scales").dataType()).isEqualTo(DataType.FLOAT);
    assertThat(graph.initializersByName().get("w").dataType()).isEqualTo(DataType.FLOAT16);
    assertThat(graph.inputs().get(0).elemType()).isEqualTo(DataType.FLOAT);
    assertThat(graph.outputs().get(0).elemType()).isEqualTo(DataType.FLOAT);
    assertThat(report.castsInserted()).isEqualTo(2);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[][][][] image = new float[1][2][3][4];
    Random random = new Random(9);
    for (float[][] channel : image[0]) {
      for (float[] row : channel) {
        for (int i = 0; i < row.length; i++) {
          row[i] = random.nextFloat();
        }
      }
    }
    try (OrtSession original = env.createSession(input.toString(), new OrtSession.SessionOptions());
        OrtSession converted = env.createSession(output.toString(), new OrtSession.SessionOptions());
        OnnxTensor x = OnnxTensor.createTensor(env, image);
        OrtSession.Result expected = original.run(Map.of("image", x));
        OrtSession.Result actual = converted.run(Map.of("image", x))) {
      float[][][] e = (float[][][]) expected.get(0).getValue();
      float[][][] a = (float[][][]) actual.get(0).getValue();
      assertThat(a.length).isEqualTo(1);
      assertThat(a[0].length).isEqualTo(6);
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 8; j++) {
          assertThat(a[0][i][j]).isCloseTo(e[0][i][j], org.assertj.core.data.Percentage.withPercentage(0.5));
        }
      }
    }
  }

  @Test
  void modelsWithSubgraphsAndModelsWithoutFloatsAreRefused() throws Exception {
    GraphBuilder branch = new GraphBuilder();
    branch.add("Identity", List.of("x"), List.of("y"));
    branch.output("y", DataType.FLOAT, 2L);
    OnnxGraph body = branch.graph("branch");
    OnnxAttribute thenBranch = new OnnxAttribute("then_branch", null, null, null, null, body, List.of(), false,
        List.of(), false, List.of(), List.of(), OnnxAttribute.GRAPH, RawFields.none());
    OnnxAttribute elseBranch = new OnnxAttribute("else_branch", null, null, null, null, body, List.of(), false,
        List.of(), false, List.of(), List.of(), OnnxAttribute.GRAPH, RawFields.none());
    GraphBuilder b = new GraphBuilder();
    b.input("c", DataType.BOOL);
    b.input("x", DataType.FLOAT, 2L);
    b.add("If", List.of("c"), List.of("z"), thenBranch, elseBranch);
    b.output("z", DataType.FLOAT, 2L);
    Path withIf = dir.resolve("if.onnx");
    OnnxFiles.write(b.model("g", 13), withIf);

    GraphBuilder ints = new GraphBuilder();
    ints.input("i", DataType.INT64, 3L);
    ints.add("Neg", List.of("i"), List.of("o"));
    ints.output("o", DataType.INT64, 3L);
    Path integers = dir.resolve("ints.onnx");
    OnnxFiles.write(ints.model("g", 13), integers);

    AgreementCheck check = AgreementCheck.syntheticEncoderInputs(1, 1, 0.99);
    assertThatThrownBy(() -> Fp16Converter.convert(withIf, dir.resolve("out.onnx"), check))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(withIf.toString())
        .hasMessageContaining("If");
    assertThatThrownBy(() -> Fp16Converter.convert(integers, dir.resolve("out.onnx"), check))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no float32 tensor");
    assertThat(dir.resolve("out.onnx")).doesNotExist();
  }
}
