package dev.llmops.inference.internal.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.inference.testing.ModelResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxCodecTest {

  @Test
  void readingAndWritingMiniLmGivesBackTheSameBytes() {
    for (String name : List.of(ModelResources.MINILM, ModelResources.MINILM_INT8)) {
      byte[] original = ModelResources.bytes(name);

      OnnxModel model = OnnxFiles.parse(original, name);

      assertThat(model.graph().nodes()).isNotEmpty();
      assertThat(model.opsetVersion("")).hasValue(11);
      assertThat(Arrays.equals(OnnxFiles.toBytes(model), original)).as("byte-identical rewrite of %s", name).isTrue();
    }
  }

  @Test
  void editingKeepsEveryUnmodeledField() {
    byte[] original = ModelResources.bytes(ModelResources.MINILM_INT8);
    OnnxModel model = OnnxFiles.parse(original, "q");
    assertThat(model.unknown().has(3)).as("producer_version is not modeled").isTrue();
    assertThat(model.unknown().has(14)).as("metadata_props is not modeled").isTrue();
    OnnxGraph graph = model.graph();
    OnnxNode first = graph.nodes().get(0);
    List<OnnxNode> nodes = new java.util.ArrayList<>(graph.nodes());
    nodes.set(0, first.withAttribute(OnnxAttribute.of("llmops_mark", 7L)));

    OnnxModel edited = OnnxFiles.parse(OnnxFiles.toBytes(model.withGraph(graph.withNodes(nodes))), "edited");

    assertThat(edited.unknown()).isEqualTo(model.unknown());
    assertThat(edited.graph().nodes().get(0).intAttribute("llmops_mark", 0)).isEqualTo(7);
    assertThat(edited.graph().nodes().subList(1, nodes.size())).isEqualTo(graph.nodes().subList(1, nodes.size()));
    assertThat(edited.graph().valueInfo()).isEqualTo(graph.valueInfo());
  }

  @Test
  void packedAndUnpackedRepeatedFieldsKeepTheirEncoding() {
    for (boolean packed : new boolean[] {true, false}) {
      TensorProto tensor = new TensorProto(List.of(2L, 3L), packed, DataType.FLOAT,
          OnnxTensorData.littleEndian(1, 2, 3, 4, 5, 6), packed, "t", null, null, RawFields.none());
      GraphBuilder builder = new GraphBuilder();
      builder.initializer(tensor);
      byte[] bytes = OnnxFiles.toBytes(builder.model("g", 17));

      TensorProto read = OnnxFiles.parse(bytes, "packed").graph().initializers().get(0);

      assertThat(read.dimsPacked()).isEqualTo(packed);
      assertThat(read.floatDataPacked()).isEqualTo(packed);
      assertThat(read.floats()).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(OnnxFiles.toBytes(OnnxFiles.parse(bytes, "again"))).isEqualTo(bytes);
    }
  }

  @Test
  void aTruncatedFileIsReportedAsCorruptWithItsName(@TempDir Path dir) throws Exception {
    byte[] original = ModelResources.bytes(ModelResources.MINILM_INT8);
    Path truncated = dir.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(original, original.length / 2));

    assertThatThrownBy(() -> OnnxFiles.read(truncated))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(truncated.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void bytesThatAreNotAModelAreCorruptAndAMissingFileIsNotFound(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("model.onnx"), "this is not a model\n");
    Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);

    assertThatThrownBy(() -> OnnxFiles.read(text)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(text.toString());
    assertThatThrownBy(() -> OnnxFiles.read(empty)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> OnnxFiles.read(dir.resolve("missing.onnx"))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("missing.onnx");
  }

  @Test
  void modelsWithExternalDataAreRefused() {
    TensorProto external = new TensorProto(List.of(4L), false, DataType.FLOAT, ByteString.EMPTY, true, "w", null, 1,
        RawFields.none());
    GraphBuilder builder = new GraphBuilder();
    builder.initializer(external);
    byte[] bytes = OnnxFiles.toBytes(builder.model("g", 17));

    assertThatThrownBy(() -> OnnxFiles.parse(bytes, "big.onnx"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("big.onnx")
        .hasMessageContaining("'w'")
        .hasMessageContaining("external data");
  }

  @Test
  void aBuiltModelRunsInOnnxRuntime(@TempDir Path dir) throws Exception {
    GraphBuilder b = new GraphBuilder();
    b.input("x", DataType.FLOAT, "batch", 3L);
    String w = b.floats("w", new long[] {3, 2}, 1, 0, 0, 1, 1, 1);
    String y = b.op("MatMul", List.of("x", w));
    String bias = b.floats("bias", new long[] {2}, 10, 20);
    b.add("Add", List.of(y, bias), List.of("out"));
    b.output("out", DataType.FLOAT, "batch", 2L);
    Path file = dir.resolve("tiny.onnx");
    OnnxFiles.write(b.model("tiny", 17), file);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
        ai.onnxruntime.OnnxTensor x = ai.onnxruntime.OnnxTensor.createTensor(env, new float[][] {{1, 2, 3}});
        OrtSession.Result result = session.run(Map.of("x", x))) {
      float[][] out = (float[][]) result.get(0).getValue();
      assertThat(out[0]).containsExactly(14, 25);
    } catch (OrtException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void halfPrecisionRoundsToNearestEven() {
    assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3c00);
    assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xc000);
    assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7bff);
    assertThat(Float16.fromFloat(65520f)).as("rounds up to infinity").isEqualTo((short) 0x7c00);
    assertThat(Float16.fromFloatClamped(-3.4e38f)).as("a mask constant stays finite").isEqualTo((short) 0xfbff);
    assertThat(Float16.fromFloat(0x1.0p-24f)).isEqualTo((short) 0x0001);
    assertThat(Float16.fromFloat(0x1.0p-25f)).as("tie to even: zero").isEqualTo((short) 0);
    assertThat(Float16.fromFloatClamped(1e-12f)).as("a LayerNorm epsilon does not vanish").isEqualTo((short) 1);
    assertThat(Float16.fromFloat(1f + 0x1.0p-11f)).as("tie to even: down").isEqualTo((short) 0x3c00);
    assertThat(Float16.fromFloat(1f + 0x3.0p-11f)).as("tie to even: up").isEqualTo((short) 0x3c02);
    for (int bits = 0; bits < 0x7c00; bits++) {
      assertThat(Float16.fromFloat(Float16.toFloat((short) bits))).isEqualTo((short) bits);
    }
    assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN)))).isTrue();
  }
}
