package dev.llmops.inference.internal.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import dev.llmops.inference.internal.onnx.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what ONNX Runtime 1.24 does with LoRA adapters, on a tiny model with one LoRA'd MatMul
 * ({@code y = x @ W + ((x @ A) @ B) * 0.5}, x [batch, 4], W [4, 3], A and B inputs with zero defaults of rank 2),
 * and that adapters written by {@link AdapterFiles} work there.
 */
class LoraAdapterTest {
  private static final int IN = 4;
  private static final int OUT = 3;
  private static final int RANK = 2;
  private static final float SCALE = 0.5f;
  private static final String A = "proj.lora_A";
  private static final String B = "proj.lora_B";

  @TempDir
  static Path dir;

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final Random RANDOM = new Random(42);
  private static final float[] W = random(IN * OUT);
  private static final float[][] X = {random(IN), random(IN), random(IN)};

  private static OnnxGraph graph;
  private static OrtSession session;
  private static OrtSession baseSession;
  private static OnnxTensor x;

  @BeforeAll
  static void buildModels() throws Exception {
    GraphBuilder lora = new GraphBuilder();
    lora.input("x", DataType.FLOAT, "batch", (long) IN);
    String w = lora.floats("w", new long[] {IN, OUT}, W);
    LoraGraphs.Slot slot = LoraGraphs.loraMatMul(lora, "x", w, "proj", IN, OUT, RANK, SCALE);
    assertThat(slot.a()).isEqualTo(A);
    assertThat(slot.b()).isEqualTo(B);
    lora.output(slot.output(), DataType.FLOAT, "batch", (long) OUT);
    graph = lora.graph("lora");
    Path loraModel = dir.resolve("lora.onnx");
    OnnxFiles.write(lora.model("lora", 17), loraModel);

    GraphBuilder base = new GraphBuilder();
    base.input("x", DataType.FLOAT, "batch", (long) IN);
    String bw = base.floats("w", new long[] {IN, OUT}, W);
    base.add("MatMul", List.of("x", bw), List.of("y"));
    base.output("y", DataType.FLOAT, "batch", (long) OUT);
    Path baseModel = dir.resolve("base.onnx");
    OnnxFiles.write(base.model("base", 17), baseModel);

    session = ENV.createSession(loraModel.toString(), new OrtSession.SessionOptions());
    baseSession = ENV.createSession(baseModel.toString(), new OrtSession.SessionOptions());
    x = OnnxTensor.createTensor(ENV, X);
  }

  @AfterAll
  static void close() throws Exception {
    x.close();
    session.close();
    baseSession.close();
  }

  @Test
  void withoutAnAdapterTheModelGivesTheBaseOutputExactly() throws Exception {
    float[][] expected = run(baseSession, null);

    assertThat(run(session, null)).isDeepEqualTo(expected);
    try (OrtSession.RunOptions empty = new OrtSession.RunOptions()) {
      assertThat(run(session, empty)).isDeepEqualTo(expected);
    }
  }

  @Test
  void anAdapterWrittenInJavaChangesTheOutputAsTheMathSays() throws Exception {
    float[] a = random(IN * RANK);
    float[] b = random(RANK * OUT);
    Path file = write("math", a, RANK, b);

    try (OrtLoraAdapter fromPath = OrtLoraAdapter.create(file.toString());
        OrtLoraAdapter fromBytes = OrtLoraAdapter.create(Files.readAllBytes(file))) {
      for (OrtLoraAdapter adapter : List.of(fromPath, fromBytes)) {
        float[][] actual = runWith(adapter);
        assertClose(actual, expected(a, RANK, b));
        assertThat(Arrays.deepEquals(actual, run(baseSession, null))).as("differs from the base").isFalse();
      }
    }
  }

  @Test
  void anAdapterMayHaveAnotherRankThanTheDefaultsWhenItReplacesBothMatrices() throws Exception {
    float[] a = random(IN * 5);
    float[] b = random(5 * OUT);
    AdapterFile adapter = AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {IN, 5}, a),
        AdapterParameter.ofFloats(B, new long[] {5, OUT}, b));
    AdapterCheck.check(adapter, "rank5", graph);

    try (OrtLoraAdapter loaded = OrtLoraAdapter.create(AdapterFiles.toBytes(adapter))) {
      assertClose(runWith(loaded), expected(a, 5, b));
    }
  }

  @Test
  void eachRunUsesTheAdapterItsRunOptionsName() throws Exception {
    float[] a1 = random(IN * RANK);
    float[] b1 = random(RANK * OUT);
    float[] a2 = random(IN * RANK);
    float[] b2 = random(RANK * OUT);
    try (OrtLoraAdapter first = OrtLoraAdapter.create(write("first", a1, RANK, b1).toString());
        OrtLoraAdapter second = OrtLoraAdapter.create(write("second", a2, RANK, b2).toString());
        OrtSession.RunOptions firstOptions = new OrtSession.RunOptions();
        OrtSession.RunOptions secondOptions = new OrtSession.RunOptions()) {
      firstOptions.addActiveLoraAdapter(first);
      secondOptions.addActiveLoraAdapter(second);
      float[][] base = run(baseSession, null);

      for (int i = 0; i < 6; i++) {
        assertClose(run(session, firstOptions), expected(a1, RANK, b1));
        assertThat(run(session, null)).isDeepEqualTo(base);
        assertClose(run(session, secondOptions), expected(a2, RANK, b2));
      }
    }
  }

  /**
   * The rule the engine's batching rests on: ONNX Runtime appends every active adapter's parameters to the feeds, a
   * later one silently replacing an earlier one of the same name, and an adapter's tensor is one value for the whole
   * batch. So rows that want different adapters never share a run; adapters with disjoint parameters compose.
   */
  @Test
  void ofTwoActiveAdaptersWithTheSameParametersTheLastAddedWinsWithoutAnError() throws Exception {
    float[] a1 = random(IN * RANK);
    float[] b1 = random(RANK * OUT);
    float[] a2 = random(IN * RANK);
    float[] b2 = random(RANK * OUT);
    try (OrtLoraAdapter first = OrtLoraAdapter.create(write("first", a1, RANK, b1).toString());
        OrtLoraAdapter second = OrtLoraAdapter.create(write("second", a2, RANK, b2).toString());
        OrtSession.RunOptions firstThenSecond = new OrtSession.RunOptions();
        OrtSession.RunOptions secondThenFirst = new OrtSession.RunOptions()) {
      firstThenSecond.addActiveLoraAdapter(first);
      firstThenSecond.addActiveLoraAdapter(second);
      secondThenFirst.addActiveLoraAdapter(second);
      secondThenFirst.addActiveLoraAdapter(first);

      assertClose(run(session, firstThenSecond), expected(a2, RANK, b2));
      assertClose(run(session, secondThenFirst), expected(a1, RANK, b1));
    }
  }

  @Test
  void twoActiveAdaptersWithDisjointParametersCompose() throws Exception {
    float[] a = random(IN * RANK);
    float[] b = random(RANK * OUT);
    try (OrtLoraAdapter onlyA = OrtLoraAdapter.create(AdapterFiles.toBytes(
            AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {IN, RANK}, a))));
        OrtLoraAdapter onlyB = OrtLoraAdapter.create(AdapterFiles.toBytes(
            AdapterFile.of(AdapterParameter.ofFloats(B, new long[] {RANK, OUT}, b))));
        OrtSession.RunOptions both = new OrtSession.RunOptions()) {
      both.addActiveLoraAdapter(onlyA);
      both.addActiveLoraAdapter(onlyB);

      assertClose(run(session, both), expected(a, RANK, b));
    }
  }

  @Test
  void javaCannotFeedALoraInputThatHasADefaultSoAdaptersAreTheOnlyWay() {
    assertThat(session.getInputNames()).containsExactly("x");

    assertThatThrownBy(() -> {
      try (OnnxTensor zeros = OnnxTensor.createTensor(ENV, new float[IN][RANK])) {
        session.run(Map.of("x", x, A, zeros)).close();
      }
    }).isInstanceOf(OrtException.class).hasMessageContaining("Unexpected number of inputs");
  }

  @Test
  void aParameterThatIsNotAGraphInputGetsOurErrorInsteadOfOnnxRuntimes() throws Exception {
    AdapterFile stray = AdapterFile.of(AdapterParameter.ofFloats("proj.lora_X", new long[] {IN, RANK},
        random(IN * RANK)));

    assertThat(ortError(stray)).contains("Invalid input name: proj.lora_X");
    assertThatThrownBy(() -> AdapterCheck.check(stray, "stray.onnx_adapter", graph))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("stray.onnx_adapter")
        .hasMessageContaining("'proj.lora_X' (FLOAT[4, 2]) is not an input of the model")
        .hasMessageContaining("[proj.lora_A, proj.lora_B, x]");

    AdapterFile constant = AdapterFile.of(AdapterParameter.ofFloats("w", new long[] {IN, OUT}, W));
    assertThat(ortError(constant)).contains("Invalid input name: w");
    assertThatThrownBy(() -> AdapterCheck.check(constant, "w.onnx_adapter", graph))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'w' (FLOAT[4, 3]) names a constant of the model");
  }

  @Test
  void aParameterOfTheWrongShapeOrTypeGetsOurErrorInsteadOfOnnxRuntimes() throws Exception {
    AdapterFile wide = AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {5, RANK}, random(5 * RANK)));
    assertThat(ortError(wide)).contains("Got invalid dimensions for input: proj.lora_A");
    assertThatThrownBy(() -> AdapterCheck.check(wide, "wide", graph))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("LoRA adapter wide: parameter 'proj.lora_A' (FLOAT[5, 2]) does not match the model input, which"
            + " is FLOAT[4, proj.lora_rank]: dimension 0 is 5, the model wants 4");

    AdapterFile flat = AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {IN * RANK}, random(IN * RANK)));
    assertThatThrownBy(() -> AdapterCheck.check(flat, "flat", graph))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("the ranks differ");

    AdapterFile doubles = AdapterFile.of(new AdapterParameter(A, DataType.DOUBLE, new long[] {IN, RANK},
        new byte[IN * RANK * 8]));
    assertThatThrownBy(() -> AdapterCheck.check(doubles, "doubles", graph))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("the element types differ");
  }

  @Test
  void aRankThatDisagreesWithAnotherTensorIsCaughtBeforeTheRunFailsInsideTheGraph() throws Exception {
    AdapterFile onlyA = AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {IN, 5}, random(IN * 5)));
    assertThat(ortError(onlyA)).contains("dimension mismatch");
    assertThatThrownBy(() -> AdapterCheck.check(onlyA, "onlyA", graph))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("LoRA adapter onlyA: parameter 'proj.lora_A' gives the model's dimension 'proj.lora_rank' the"
            + " size 5, but the adapter leaves out 'proj.lora_B', whose default in the model gives it 2; the adapter"
            + " must replace 'proj.lora_B' too");

    AdapterFile mismatched = AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {IN, 5}, random(IN * 5)),
        AdapterParameter.ofFloats(B, new long[] {3, OUT}, random(3 * OUT)));
    assertThatThrownBy(() -> AdapterCheck.check(mismatched, "mismatched", graph))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("parameter 'proj.lora_B' (FLOAT[3, 3]) gives the model's dimension 'proj.lora_rank'"
            + " the size 3, but parameter 'proj.lora_A' gives it 5");

    AdapterCheck.check(AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {IN, RANK}, random(IN * RANK))),
        "sameRank", graph);
  }

  @Test
  void aCorruptFileGetsOurErrorNamingTheFileWhereOnnxRuntimeNamesNone() throws Exception {
    Path good = write("good", random(IN * RANK), RANK, random(RANK * OUT));
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.onnx_adapter");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> OrtLoraAdapter.create(truncated.toString()).close())
        .isInstanceOf(OrtException.class)
        .hasMessageContaining("The buffer fails lora adapter format verification")
        .message().doesNotContain("truncated.onnx_adapter");
    assertThatThrownBy(() -> AdapterFiles.read(truncated))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(truncated.toString())
        .hasMessageContaining("runs past the end of the file");
  }

  @Test
  void anAdapterIsSharedByConcurrentRunsOfTwoAdaptersAndTheBase() throws Exception {
    float[] a1 = random(IN * RANK);
    float[] b1 = random(RANK * OUT);
    float[] a2 = random(IN * RANK);
    float[] b2 = random(RANK * OUT);
    float[][][] expected = {run(baseSession, null), expected(a1, RANK, b1), expected(a2, RANK, b2)};
    int threads = 8;
    int runs = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (OrtLoraAdapter first = OrtLoraAdapter.create(write("c1", a1, RANK, b1).toString());
        OrtLoraAdapter second = OrtLoraAdapter.create(write("c2", a2, RANK, b2).toString());
        OrtSession.RunOptions none = new OrtSession.RunOptions();
        OrtSession.RunOptions firstOptions = new OrtSession.RunOptions();
        OrtSession.RunOptions secondOptions = new OrtSession.RunOptions()) {
      firstOptions.addActiveLoraAdapter(first);
      secondOptions.addActiveLoraAdapter(second);
      OrtSession.RunOptions[] options = {none, firstOptions, secondOptions};
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          start.await();
          int checked = 0;
          for (int i = 0; i < runs; i++) {
            int which = (thread + i) % 3;
            float[][] actual = run(session, options[which]);
            for (int row = 0; row < actual.length; row++) {
              for (int col = 0; col < OUT; col++) {
                if (Math.abs(actual[row][col] - expected[which][row][col]) > 1e-5) {
                  throw new AssertionError("thread " + thread + " run " + i + " with options " + which + " got "
                      + Arrays.deepToString(actual));
                }
              }
            }
            checked++;
          }
          return checked;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get();
      }
      assertThat(total).isEqualTo(threads * runs);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anInputWithADefaultNeedsANameOfItsOwn() {
    GraphBuilder builder = new GraphBuilder();
    builder.input("x", DataType.FLOAT, 1L);

    assertThatThrownBy(() -> builder.inputWithDefault(TensorProto.ofFloats("x", new long[] {1}, new float[1]), 1L))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'x'");
  }

  // --- helpers

  private static String ortError(AdapterFile adapter) throws Exception {
    try (OrtLoraAdapter loaded = OrtLoraAdapter.create(AdapterFiles.toBytes(adapter))) {
      runWith(loaded);
    } catch (OrtException e) {
      return e.getMessage();
    }
    throw new AssertionError("ONNX Runtime accepted " + adapter);
  }

  private static float[][] runWith(OrtLoraAdapter adapter) throws OrtException {
    try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      options.addActiveLoraAdapter(adapter);
      return run(session, options);
    }
  }

  private static float[][] run(OrtSession target, OrtSession.RunOptions options) throws OrtException {
    try (OrtSession.Result result = options == null ? target.run(Map.of("x", x)) : target.run(Map.of("x", x), options)) {
      return (float[][]) result.get(0).getValue();
    }
  }

  private static Path write(String name, float[] a, int rank, float[] b) {
    Path file = dir.resolve(name + ".onnx_adapter");
    AdapterFiles.write(AdapterFile.of(AdapterParameter.ofFloats(A, new long[] {IN, rank}, a),
        AdapterParameter.ofFloats(B, new long[] {rank, OUT}, b)), file);
    return file;
  }

  /** x @ W + ((x @ A) @ B) * scale, in double. */
  private static float[][] expected(float[] a, int rank, float[] b) {
    float[][] y = new float[X.length][OUT];
    for (int row = 0; row < X.length; row++) {
      double[] down = new double[rank];
      for (int r = 0; r < rank; r++) {
        for (int i = 0; i < IN; i++) {
          down[r] += (double) X[row][i] * a[i * rank + r];
        }
      }
      for (int o = 0; o < OUT; o++) {
        double base = 0;
        for (int i = 0; i < IN; i++) {
          base += (double) X[row][i] * W[i * OUT + o];
        }
        double up = 0;
        for (int r = 0; r < rank; r++) {
          up += down[r] * b[r * OUT + o];
        }
        y[row][o] = (float) (base + up * SCALE);
      }
    }
    return y;
  }

  private static void assertClose(float[][] actual, float[][] expected) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int row = 0; row < expected.length; row++) {
      for (int col = 0; col < expected[row].length; col++) {
        assertThat(actual[row][col]).as("y[%d][%d]", row, col).isCloseTo(expected[row][col], within(1e-5f));
      }
    }
  }

  private static float[] random(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = RANDOM.nextFloat() * 2 - 1;
    }
    return values;
  }
}
