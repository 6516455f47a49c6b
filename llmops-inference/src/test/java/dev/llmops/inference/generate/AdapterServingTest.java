package dev.llmops.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import dev.llmops.inference.internal.lora.AdapterFile;
import dev.llmops.inference.internal.lora.AdapterFiles;
import dev.llmops.inference.internal.lora.AdapterParameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA adapters chosen per request on one base model, and the local model behind the router. */
class AdapterServingTest {

  @TempDir
  static Path tmp;
  static Path dir;
  static OnnxChatModel model;

  @BeforeAll
  static void load() {
    dir = SyntheticDecoder.builder().maxPositions(256).seed(11).loraRank(4).write(tmp.resolve("lora-ready"));
    writeAdapter(tmp.resolve("a1.onnx_adapter"), 4, 1);
    writeAdapter(tmp.resolve("a2.onnx_adapter"), 2, 2);
    model = OnnxChatModel.builder().directory(dir).id("base").adapter("a1", tmp.resolve("a1.onnx_adapter"))
        .adapter("a2", tmp.resolve("a2.onnx_adapter")).build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** An adapter of {@code rank} for the query and value projections of both layers. */
  static void writeAdapter(Path file, int rank, long seed) {
    Random random = new Random(seed);
    List<AdapterParameter> parameters = new ArrayList<>();
    for (int l = 0; l < 2; l++) {
      for (String proj : new String[] {"q_proj", "v_proj"}) {
        int out = proj.equals("q_proj") ? 64 : 32;
        parameters.add(AdapterParameter.ofFloats("layers." + l + "." + proj + ".lora_A", new long[] {64, rank},
            gaussian(random, 64 * rank, 0.3)));
        parameters.add(AdapterParameter.ofFloats("layers." + l + "." + proj + ".lora_B", new long[] {rank, out},
            gaussian(random, rank * out, 0.3)));
      }
    }
    AdapterFiles.write(new AdapterFile(1, 1, parameters), file);
  }

  private static float[] gaussian(Random random, int n, double std) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    return values;
  }

  private static GenerationRequest request(int[] prompt, String adapter) {
    return GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(20).withMinNewTokens(20)).withAdapter(adapter);
  }

  @Test
  void withoutAnAdapterTheLoraReadyModelIsTheBaseModel() {
    Path plain = SyntheticDecoder.builder().maxPositions(256).seed(11).write(tmp.resolve("plain"));
    int[] prompt = OnnxChatModelTest.prompt(new Random(1), 12);
    try (OnnxChatModel withoutSlots = OnnxChatModel.builder().directory(plain).build()) {
      assertThat(model.generate(request(prompt, null)).tokenIds())
          .containsExactly(withoutSlots.generate(request(prompt, null)).tokenIds());
    }
    assertThat(model.generate(request(prompt, "a1")).tokenIds())
        .isNotEqualTo(model.generate(request(prompt, null)).tokenIds());
    assertThat(model.generate(request(prompt, "a1")).tokenIds())
        .isNotEqualTo(model.generate(request(prompt, "a2")).tokenIds());
  }

  @Test
  void requestsWithDifferentAdaptersRunTogetherAndEachGetsItsOwnVariant() throws Exception {
    Random random = new Random(2);
    String[] variants = {null, "a1", "a2"};
    List<GenerationRequest> requests = new ArrayList<>();
    List<int[]> alone = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      GenerationRequest r = request(OnnxChatModelTest.prompt(random, 3 + random.nextInt(40)), variants[i % 3]);
      requests.add(r);
      alone.add(model.generate(r).tokenIds());
    }
    ExecutorService pool = Executors.newFixedThreadPool(requests.size());
    try {
      List<Future<int[]>> futures = new ArrayList<>();
      for (GenerationRequest r : requests) {
        futures.add(pool.submit(() -> model.generate(r).tokenIds()));
      }
      for (int i = 0; i < requests.size(); i++) {
        assertThat(futures.get(i).get()).as("request %d (%s)", i, variants[i % 3]).containsExactly(alone.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void adaptersLoadAndUnloadWhileServing() {
    Path a3 = tmp.resolve("a3.onnx_adapter");
    writeAdapter(a3, 3, 3);
    model.loadAdapter("a3", a3);
    int[] prompt = OnnxChatModelTest.prompt(new Random(4), 8);
    assertThat(model.generate(request(prompt, "a3")).generatedTokens()).isEqualTo(20);
    assertThat(model.adapters()).containsExactly("a1", "a2", "a3");
    model.unloadAdapter("a3");
    assertThatThrownBy(() -> model.generate(request(prompt, "a3"))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("a3");
    assertThatThrownBy(() -> model.unloadAdapter("a3")).isInstanceOf(NotFoundException.class);

    Path wrong = tmp.resolve("wrong.onnx_adapter");
    AdapterFiles.write(new AdapterFile(1, 1, List.of(AdapterParameter.ofFloats("layers.0.q_proj.lora_A",
        new long[] {32, 2}, new float[64]))), wrong);
    assertThatThrownBy(() -> model.loadAdapter("wrong", wrong)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("layers.0.q_proj.lora_A");
  }

  @Test
  void theRouterSendsTrafficToTheLocalModelAndItsAdapters() {
    Router router = Router.builder()
        .deployment(Deployment.builder("tiny-base@local", model).build())
        .release(Release.builder("local-v1").deployments("tiny-base@local").build())
        .route(Route.builder("chat").release("local-v1", 1).build())
        .build();
    ChatRequest question = ChatRequest.builder().user("Hello").maxTokens(6).build();
    RoutedResponse routed = router.chat(RouteRequest.of("chat", question));
    assertThat(routed.deployment()).isEqualTo("tiny-base@local");
    assertThat(routed.response().modelId()).isEqualTo("base");
    assertThat(routed.text()).isEqualTo(model.chat(question).text());
    assertThat(model.chat(question.toBuilder().model("a1").build()).modelId()).isEqualTo("a1");
  }
}
