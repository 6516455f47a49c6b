package dev.llmops.inference.internal.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.inference.ExecutionSettings;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.inference.testing.ModelResources;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformerFusionTest {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @Test
  void miniLmFusedAgreesWithTheOriginalOnPaddedBatches() throws OrtException {
    byte[] original = ModelResources.bytes(ModelResources.MINILM);

    TransformerFusion.Result result = TransformerFusion.fuseAttention(OnnxFiles.parse(original, "minilm"));

    assertThat(result.candidates()).isEqualTo(6);
    assertThat(result.fused()).isEqualTo(6);
    assertThat(result.skipped()).isEmpty();
    List<OnnxNode> nodes = result.model().graph().nodes();
    assertThat(nodes).filteredOn(n -> "Attention".equals(n.opType())
        && TransformerFusion.MS_DOMAIN.equals(n.domain())).hasSize(6)
        .allSatisfy(n -> assertThat(n.intAttribute("num_heads", 0)).isEqualTo(12));
    assertThat(nodes).noneMatch(n -> n.is("Softmax") || n.is("Transpose") || n.is("Reshape"));
    assertThat(result.model().opsetVersion(TransformerFusion.MS_DOMAIN)).hasValue(1);
    assertThat(result.model().graph().initializers()).noneMatch(t -> t.nameOrEmpty().contains("query.bias")
        && !t.nameOrEmpty().endsWith("_qkv"));

    // Rows of different real lengths, zeros at the end of the mask; one fully real row and one of two tokens.
    int[] lengths = {32, 5, 17, 2, 29, 11};
    float[][][] expected = run(original, lengths, 32);
    float[][][] actual = run(OnnxFiles.toBytes(result.model()), lengths, 32);
    double minCosine = 1;
    double maxDiff = 0;
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < lengths[b]; t++) {
        minCosine = Math.min(minCosine, cosine(expected[b][t], actual[b][t]));
        for (int h = 0; h < expected[b][t].length; h++) {
          maxDiff = Math.max(maxDiff, Math.abs(expected[b][t][h] - actual[b][t][h]));
        }
      }
    }
    assertThat(minCosine).as("per-token cosine on real tokens").isGreaterThanOrEqualTo(0.9999);
    assertThat(maxDiff).as("max abs difference on real tokens").isLessThan(1e-3);
  }

  @Test
  void aLayerWhoseInternalsAreReadElsewhereStaysUnfused() {
    OnnxModel model = OnnxFiles.parse(ModelResources.bytes(ModelResources.MINILM), "minilm");
    String probs = model.graph().nodes().stream().filter(n -> n.is("Softmax")).findFirst().orElseThrow()
        .outputs().get(0);
    List<OnnxValueInfo> outputs = new ArrayList<>(model.graph().outputs());
    outputs.add(OnnxValueInfo.tensor(probs, DataType.FLOAT, "batch", 12L, "seq", "seq"));
    OnnxModel exposing = model.withGraph(model.graph().withOutputs(outputs));

    TransformerFusion.Result result = TransformerFusion.fuseAttention(exposing);

    assertThat(result.fused()).isEqualTo(5);
    assertThat(result.skipped()).singleElement().asString().startsWith(probs);
    assertThat(result.model().graph().nodes()).filteredOn(n -> n.is("Softmax")).singleElement()
        .satisfies(n -> assertThat(n.outputs()).containsExactly(probs));
  }

  @Test
  void aGraphWithoutTheAttentionPatternIsReturnedUnchanged() {
    GraphBuilder b = new GraphBuilder();
    b.input("x", DataType.FLOAT, "batch", 4L);
    String w = b.floats("w", new long[] {4, 4}, new float[16]);
    String y = b.op("MatMul", List.of("x", w));
    b.add("Softmax", List.of(y), List.of("p"), OnnxAttribute.of("axis", -1L));
    b.output("p", DataType.FLOAT, "batch", 4L);
    OnnxModel model = b.model("softmax-only", 13);

    TransformerFusion.Result result = TransformerFusion.fuseAttention(model);

    assertThat(result.model()).isSameAs(model);
    assertThat(result.candidates()).isEqualTo(1);
    assertThat(result.fused()).isZero();
    assertThat(result.skipped()).singleElement().asString().contains("Softmax input is MatMul, not Add");
  }

  @Test
  void theInt8ModelIsLeftAlone() {
    byte[] original = ModelResources.bytes(ModelResources.MINILM_INT8);
    OnnxModel model = OnnxFiles.parse(original, "minilm-q");

    TransformerFusion.Result result = TransformerFusion.fuseAttention(model);

    // Its Q, K and V come from MatMulInteger: nothing matches, so its embeddings cannot change.
    assertThat(result.fused()).isZero();
    assertThat(result.skipped()).hasSize(6).allSatisfy(s -> assertThat(s).contains("is not Add(MatMul(x, W), b)"));
    assertThat(result.model()).isSameAs(model);
    assertThat(Arrays.equals(OnnxFiles.toBytes(result.model()), original)).isTrue();
  }

  @Test
  void embeddingsWithAndWithoutTheFusionAgree() {
    List<String> texts = List.of("The cat sat on the mat.", "short", "A kitten is sitting on a rug next to the door.");
    ExecutionSettings fused = ExecutionSettings.cpu().withIntraOpThreads(2);
    assertThat(fused.fuseAttention()).isTrue();
    for (String builtIn : List.of("all-minilm-l6-v2", "all-minilm-l6-v2-q")) {
      List<Embedding> on;
      List<Embedding> off;
      try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn(builtIn))
          .execution(fused).build()) {
        on = model.embedAll(texts).embeddings();
      }
      try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn(builtIn))
          .execution(fused.withFuseAttention(false)).build()) {
        off = model.embedAll(texts).embeddings();
      }
      for (int i = 0; i < texts.size(); i++) {
        assertThat(cosine(on.get(i).vector(), off.get(i).vector())).as("%s text %d", builtIn, i)
            .isGreaterThanOrEqualTo(0.99999);
      }
    }
  }

  private static float[][][] run(byte[] model, int[] lengths, int width) throws OrtException {
    int batch = lengths.length;
    long[] ids = new long[batch * width];
    long[] mask = new long[batch * width];
    java.util.Random random = new java.util.Random(3);
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < lengths[b]; t++) {
        ids[b * width + t] = t == 0 ? 101 : t == lengths[b] - 1 ? 102 : 1000 + random.nextInt(20000);
        mask[b * width + t] = 1;
      }
    }
    long[] shape = {batch, width};
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = ENV.createSession(model, options);
          OnnxTensor idTensor = OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), shape);
          OnnxTensor maskTensor = OnnxTensor.createTensor(ENV, LongBuffer.wrap(mask), shape);
          OnnxTensor typeTensor = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[batch * width]), shape);
          OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
              "token_type_ids", typeTensor))) {
        return (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
      }
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
