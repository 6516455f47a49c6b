package dev.llmops.inference.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxAttribute;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import dev.llmops.inference.internal.onnx.OnnxModel;
import dev.llmops.inference.internal.onnx.OnnxNode;
import dev.llmops.inference.internal.onnx.OnnxValueInfo;
import dev.llmops.inference.internal.onnx.TensorProto;
import dev.llmops.inference.testing.ModelResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelQuantizerTest {

  private static final AgreementCheck CHECK = AgreementCheck.syntheticEncoderInputs(8, 42, 0.99);

  @TempDir static Path shared;
  private static Path miniLm;
  private static Path perTensor;
  private static QuantizationReport perTensorReport;

  @TempDir Path dir;

  @BeforeAll
  static void copyModelAndQuantizePerTensor() {
    miniLm = ModelResources.copy(ModelResources.MINILM, shared.resolve("minilm.onnx"));
    perTensor = shared.resolve("minilm-per-tensor.onnx");
    perTensorReport = ModelQuantizer.int8Dynamic().activations(ActivationQuantization.PER_TENSOR).build()
        .quantize(miniLm, perTensor, AgreementCheck.syntheticEncoderInputs(4, 42, 0.95));
  }

  @Test
  void quantizesEveryMiniLmProductWithAConstantWeightAndKeepsItsOutputs() throws Exception {
    Path output = dir.resolve("minilm-int8.onnx");

    QuantizationReport report = ModelQuantizer.int8Dynamic().build().quantize(miniLm, output, CHECK);

    OnnxGraph original = OnnxFiles.read(miniLm).graph();
    long constantWeightMatMuls = original.nodes().stream()
        .filter(n -> n.is("MatMul") && original.initializersByName().containsKey(n.inputs().get(1))).count();
    assertThat(constantWeightMatMuls).isEqualTo(36);
    assertThat(report.quantized()).containsEntry("MatMul", (int) constantWeightMatMuls)
        .containsEntry("Gather", 2); // word and position embeddings; the 2-row token type table stays float
    assertThat(report.skipped()).containsEntry("MatMul: weight is computed at run time", 12); // attention products

    long published = ModelResources.bytes(ModelResources.MINILM_INT8).length;
    assertThat(report.outputBytes()).isEqualTo(Files.size(output)).isBetween((long) (published * 0.7),
        (long) (published * 1.3));
    assertThat(report.inputBytes()).isEqualTo(Files.size(miniLm));
    assertThat(report.agreement().passed()).isTrue();
    assertThat(report.agreement().minCosine()).isGreaterThanOrEqualTo(0.99);
    assertThat(report.agreement().samples()).isEqualTo(8);

    OnnxModel written = OnnxFiles.read(output);
    assertThat(written.opsetVersion("com.microsoft")).hasValue(1);
    assertThat(written.graph().nodes()).noneMatch(n -> n.is("MatMul")
        && written.graph().initializersByName().containsKey(n.inputs().get(1)));
    List<String> floatWeights = original.nodes().stream().filter(n -> n.is("MatMul")).map(n -> n.inputs().get(1))
        .filter(original.initializersByName()::containsKey).toList();
    assertThat(written.graph().initializersByName().keySet()).doesNotContainAnyElementsOf(floatWeights)
        .doesNotContain("embeddings.word_embeddings.weight").contains("embeddings.token_type_embeddings.weight");
    assertThat(names(written.graph().inputs())).containsExactlyElementsOf(names(original.inputs()));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(output);
    }
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) { // as readable as any new file, not owner-only
      Path plain = Files.createFile(dir.resolve("plain"));
      assertThat(Files.getPosixFilePermissions(output)).isEqualTo(Files.getPosixFilePermissions(plain));
      Files.delete(plain);
    }

    // ONNX Runtime runs it on its own, on a batch of two
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[][] ids = {{101, 7592, 2088, 102}, {101, 2088, 7592, 102}};
    long[][] ones = {{1, 1, 1, 1}, {1, 1, 1, 1}};
    try (OrtSession session = env.createSession(output.toString(), new OrtSession.SessionOptions());
        OnnxTensor inputIds = OnnxTensor.createTensor(env, ids);
        OnnxTensor mask = OnnxTensor.createTensor(env, ones);
        OnnxTensor types = OnnxTensor.createTensor(env, new long[2][4]);
        OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", mask,
            "token_type_ids", types))) {
      assertThat(((OnnxTensor) result.get(0)).getInfo().getShape()).containsExactly(2, 4, 384);
    }
  }

  @Test
  void perTensorActivationsUseDynamicQuantizeMatMulAsQuantizeDynamicDoes() {
    OnnxGraph graph = OnnxFiles.read(perTensor).graph();
    assertThat(graph.nodes().stream().filter(n -> n.opType().equals("DynamicQuantizeMatMul")))
        .hasSize(36)
        .allMatch(n -> n.inputs().size() == 5, "bias folded in")
        .allMatch(n -> "com.microsoft".equals(n.domain()));
    assertThat(graph.nodes()).noneMatch(n -> n.opType().equals("MatMulIntegerToFloat"));
    assertThat(perTensorReport.nodesQuantized()).isEqualTo(38);
    assertThat(perTensorReport.agreement().minCosine()).isBetween(0.95, 0.99); // why per token is the default
  }

  @Test
  void perTokenActivationsGiveASequenceTheSameOutputWhateverItIsBatchedWith() throws Exception {
    Path perToken = dir.resolve("per-token.onnx");
    ModelQuantizer.int8Dynamic().build().quantize(miniLm, perToken, (original, candidate) -> new Agreement(1, 1, 1, 0));
    Random random = new Random(5);
    long[] sequence = new long[24];
    long[] neighbour = new long[24];
    for (int i = 0; i < sequence.length; i++) {
      sequence[i] = 1000 + random.nextInt(1000);
      neighbour[i] = 1000 + random.nextInt(1000);
    }

    double perTokenChange = batchEffect(perToken, sequence, neighbour);
    double perTensorChange = batchEffect(perTensor, sequence, neighbour);

    assertThat(perTokenChange).isLessThan(1e-4);
    assertThat(perTensorChange).isGreaterThan(100 * Math.max(perTokenChange, 1e-6));
  }

  /** The largest change in {@code sequence}'s output when it is run together with {@code neighbour}. */
  private static double batchEffect(Path model, long[] sequence, long[] neighbour) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
      float[][][] alone = run(env, session, new long[][] {sequence});
      float[][][] together = run(env, session, new long[][] {sequence, neighbour});
      double change = 0;
      for (int t = 0; t < sequence.length; t++) {
        for (int d = 0; d < alone[0][t].length; d++) {
          change = Math.max(change, Math.abs(alone[0][t][d] - together[0][t][d]));
        }
      }
      return change;
    }
  }

  private static float[][][] run(OrtEnvironment env, OrtSession session, long[][] ids) throws Exception {
    long[][] ones = new long[ids.length][ids[0].length];
    for (long[] row : ones) {
      Arrays.fill(row, 1);
    }
    try (OnnxTensor inputIds = OnnxTensor.createTensor(env, ids);
        OnnxTensor mask = OnnxTensor.createTensor(env, ones);
        OnnxTensor types = OnnxTensor.createTensor(env, new long[ids.length][ids[0].length]);
        OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", mask,
            "token_type_ids", types))) {
      return (float[][][]) result.get(0).getValue();
    }
  }

  @Test
  void aFailedCheckWritesNothingAndKeepsAnExistingOutput() throws Exception {
    Path output = Files.writeString(dir.resolve("model-int8.onnx"), "the previous model");
    Path input = Files.copy(miniLm, dir.resolve("model.onnx"));

    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(input, output,
        AgreementCheck.syntheticEncoderInputs(2, 1, 1.01)))
        .isInstanceOfSatisfying(AgreementFailedException.class, e -> {
          assertThat(e.agreement().threshold()).isEqualTo(1.01);
          assertThat(e.agreement().minCosine()).isBetween(0.9, 1.0);
          assertThat(e.agreement().passed()).isFalse();
        })
        .hasMessageContaining(input.toString())
        .hasMessageContaining(output.toString())
        .hasMessageContaining("threshold 1.0100");

    assertThat(Files.readString(output)).isEqualTo("the previous model");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(input, output); // no temporary file left
    }
  }

  @Test
  void aBrokenCandidateFailsTheCheck() throws Exception {
    // the check sees what the rewrite did: a model with one weight negated is not "the same model"
    OnnxModel model = OnnxFiles.read(miniLm);
    List<TensorProto> initializers = model.graph().initializers().stream()
        .map(t -> t.nameOrEmpty().equals("onnx::MatMul_799") ? negate(t) : t).toList();
    Path broken = dir.resolve("broken.onnx");
    OnnxFiles.write(model.withGraph(model.graph().withInitializers(initializers)), broken);

    Agreement agreement = CHECK.measure(miniLm, broken);

    assertThat(agreement.passed()).isFalse();
    assertThat(agreement.minCosine()).isLessThan(0.9);
    assertThat(CHECK.measure(miniLm, miniLm).minCosine()).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void aTruncatedModelIsNamedAndNothingIsWritten() throws Exception {
    byte[] bytes = ModelResources.bytes(ModelResources.MINILM_INT8);
    Path input = Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(bytes, bytes.length - 1000));
    Path output = dir.resolve("out.onnx");

    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(input, output, CHECK))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(input.toString());
    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(dir.resolve("missing.onnx"), output, CHECK))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("missing.onnx");
    assertThat(output).doesNotExist();
  }

  @Test
  void theOutputCannotBeTheInputNorADirectory() throws Exception {
    Path input = Files.copy(miniLm, dir.resolve("model.onnx"));
    long size = Files.size(input);

    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(input,
        dir.resolve("sub/../model.onnx"), CHECK))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is the input model itself");
    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(input, dir, CHECK))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is a directory");
    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(input,
        dir.resolve("no/such/dir/out.onnx"), CHECK))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("does not exist");
    assertThat(Files.size(input)).isEqualTo(size);
  }

  @Test
  void aModelWithoutConstantWeightsIsRefusedWithTheReason() throws Exception {
    GraphBuilder b = new GraphBuilder();
    b.input("x", DataType.FLOAT, "batch", 4L);
    b.input("y", DataType.FLOAT, 4L, 3L);
    b.add("MatMul", List.of("x", "y"), List.of("z"));
    b.output("z", DataType.FLOAT, "batch", 3L);
    Path input = dir.resolve("no-weights.onnx");
    OnnxFiles.write(b.model("g", 13), input);

    assertThatThrownBy(() -> ModelQuantizer.int8Dynamic().build().quantize(input, dir.resolve("out.onnx"), CHECK))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(input.toString())
        .hasMessageContaining("no node the int8 quantizer can rewrite")
        .hasMessageContaining("MatMul: weight is computed at run time=1");
  }

  @Test
  void gemmWithTransposedWeightAndSharedWeightsAreQuantizedOnce() throws Exception {
    for (ActivationQuantization activations : ActivationQuantization.values()) {
      Random random = new Random(3);
      GraphBuilder b = new GraphBuilder();
      b.input("x", DataType.FLOAT, "batch", 64L);
      String w = b.floats("w", new long[] {32, 64}, gaussian(random, 32 * 64)); // [N, K], used transposed
      String c = b.floats("c", new long[] {32}, gaussian(random, 32));
      String v = b.floats("v", new long[] {32, 32}, gaussian(random, 32 * 32)); // shared by two MatMuls
      String h = b.op("Gemm", List.of("x", w, c), OnnxAttribute.of("transB", 1L));
      String y1 = b.op("MatMul", List.of(h, v));
      String y2 = b.op("MatMul", List.of(y1, v));
      b.add("Relu", List.of(y2), List.of("out"));
      b.output("out", DataType.FLOAT, "batch", 32L);
      Path input = dir.resolve("gemm.onnx");
      OnnxFiles.write(b.model("g", 13), input);
      Path output = dir.resolve("gemm-" + activations + ".onnx");

      QuantizationReport report = ModelQuantizer.int8Dynamic().activations(activations).build()
          .quantize(input, output, AgreementCheck.syntheticEncoderInputs(4, 7, 0.99));

      assertThat(report.quantized()).isEqualTo(Map.of("Gemm", 1, "MatMul", 2));
      OnnxGraph graph = OnnxFiles.read(output).graph();
      assertThat(graph.initializers().stream().map(TensorProto::nameOrEmpty))
          .doesNotContain("w", "v")
          .filteredOn(n -> n.startsWith("v_quantized")).hasSize(1);
      assertThat(graph.initializersByName().get("w_quantized").dims()).containsExactly(64L, 32L);
      assertThat(report.agreement().minCosine()).as("%s", activations).isGreaterThan(0.99);
    }
  }

  @Test
  void aWeightThatIsAlsoAGraphInputIsLeftAlone() throws Exception {
    GraphBuilder b = new GraphBuilder();
    b.input("x", DataType.FLOAT, "batch", 8L);
    String w = b.floats("w", new long[] {8, 8}, gaussian(new Random(1), 64));
    String u = b.floats("u", new long[] {8, 8}, gaussian(new Random(2), 64));
    String y = b.op("MatMul", List.of("x", w));
    b.add("MatMul", List.of(y, u), List.of("out"));
    b.output("out", DataType.FLOAT, "batch", 8L);
    OnnxModel model = b.model("g", 13);
    List<OnnxValueInfo> inputs = new java.util.ArrayList<>(model.graph().inputs());
    inputs.add(OnnxValueInfo.tensor(w, DataType.FLOAT, 8L, 8L)); // an initializer callers may override (IR < 4 style)
    Path input = dir.resolve("overridable.onnx");
    OnnxFiles.write(model.withGraph(model.graph().withInputs(inputs)), input);

    QuantizationReport report = ModelQuantizer.int8Dynamic().build()
        .quantize(input, dir.resolve("out.onnx"), (original, candidate) -> new Agreement(1, 1, 1, 0.99));

    assertThat(report.quantized()).isEqualTo(Map.of("MatMul", 1));
    assertThat(report.skipped()).isEqualTo(Map.of("MatMul: weight is also a graph input, so callers may replace it", 1));
    OnnxModel written = OnnxFiles.read(dir.resolve("out.onnx"));
    assertThat(written.graph().initializersByName()).containsKey("w").doesNotContainKey("u");
    assertThat(written.graph().nodes().stream().map(OnnxNode::opType)).contains("MatMul");
  }

  private static List<String> names(List<OnnxValueInfo> values) {
    return values.stream().map(OnnxValueInfo::name).toList();
  }

  private static float[] gaussian(Random random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian() * 0.2f;
    }
    return values;
  }

  private static TensorProto negate(TensorProto tensor) {
    float[] values = tensor.floats();
    for (int i = 0; i < values.length; i++) {
      values[i] = -values[i];
    }
    return TensorProto.ofFloats(tensor.nameOrEmpty(), tensor.shape(), values);
  }
}
