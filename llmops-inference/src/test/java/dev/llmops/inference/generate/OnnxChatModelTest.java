package dev.llmops.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.ContextTooLongException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.chat.ToolSpecification;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generation engine on a synthetic byte-level decoder (2 layers, 4 heads sharing 2 key/value heads). */
class OnnxChatModelTest {

  @TempDir
  static Path tmp;
  static Path dir;
  static OnnxChatModel model;

  @BeforeAll
  static void load() {
    dir = SyntheticDecoder.builder().maxPositions(512).seed(7).write(tmp.resolve("tiny"));
    model = OnnxChatModel.builder().directory(dir).id("tiny").build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static int[] prompt(Random random, int length) {
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = 32 + random.nextInt(90); // printable ASCII bytes
    }
    return ids;
  }

  @Test
  void readsTheExportsShapeAndConfiguration() {
    DecoderDescriptor d = model.descriptor();
    assertThat(d.layers()).isEqualTo(2);
    assertThat(d.kvHeads()).isEqualTo(2);
    assertThat(d.headDim()).isEqualTo(16);
    assertThat(d.vocabularySize()).isEqualTo(262);
    assertThat(d.contextLength()).isEqualTo(512);
    assertThat(d.eosTokenIds()).containsExactly(257);
    assertThat(d.chatTemplate()).contains("add_generation_prompt");
    assertThat(d.defaults().isGreedy()).isTrue();
  }

  @Test
  void greedyWithTheCacheEqualsRecomputingTheWholeSequenceEveryStep() throws Exception {
    Random random = new Random(1);
    try (Reference reference = new Reference(dir, 2, 2, 16)) {
      for (int length : new int[] {1, 5, 17, 40}) {
        int[] prompt = prompt(random, length);
        int[] expected = reference.greedy(prompt, 24, 257);
        GenerationResult result = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(24)
            .withMinNewTokens(24)));
        assertThat(result.tokenIds()).as("prompt of %d tokens", length).containsExactly(expected);
        assertThat(expected).hasSize(24);
      }
    }
  }

  @Test
  void thirtyTwoConcurrentRequestsProduceExactlyWhatEachProducesAlone() throws Exception {
    Random random = new Random(2);
    List<int[]> prompts = new ArrayList<>();
    List<SamplingParameters> params = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      prompts.add(prompt(random, 1 + random.nextInt(120)));
      SamplingParameters p = SamplingParameters.greedy(4 + random.nextInt(60)).withMinNewTokens(0);
      params.add(i % 3 == 0 ? p.withTemperature(0.9).withTopK(40).withSeed((long) i) : p);
    }
    List<int[]> alone = new ArrayList<>();
    try (OnnxChatModel sequential = OnnxChatModel.builder().directory(dir)
        .scheduler(SchedulerSettings.defaults().withMaxBatchSequences(1)).build()) {
      for (int i = 0; i < 32; i++) {
        alone.add(sequential.generate(GenerationRequest.ofTokens(prompts.get(i), params.get(i))).tokenIds());
      }
    }
    // A small cache and prefill chunks force chunked prefill, admission waits and preemption.
    SchedulerSettings tight = SchedulerSettings.defaults().withBlockTokens(8).withPrefillChunkTokens(48)
        .withKvCacheBytes(KvCache.blockBytes(2, 2, 16, 8) * 60);
    try (OnnxChatModel batched = OnnxChatModel.builder().directory(dir).scheduler(tight).build()) {
      List<int[]> together = runConcurrently(batched, prompts, params);
      for (int i = 0; i < 32; i++) {
        assertThat(together.get(i)).as("request %d", i).containsExactly(alone.get(i));
      }
      GenerationStats stats = batched.stats();
      assertThat(stats.preemptions()).as("the tight cache preempted").isPositive();
      assertThat(stats.finished()).isEqualTo(32);
      assertThat(stats.kvBlocksUsed()).isZero();
      assertThat(stats.steps()).as("batched steps, fewer than one per token").isLessThan(
          together.stream().mapToLong(t -> t.length).sum());
    }
    try (OnnxChatModel statically = OnnxChatModel.builder().directory(dir)
        .scheduler(SchedulerSettings.defaults().withScheduling(Scheduling.STATIC).withMaxBatchSequences(8)).build()) {
      List<int[]> together = runConcurrently(statically, prompts, params);
      for (int i = 0; i < 32; i++) {
        assertThat(together.get(i)).as("static, request %d", i).containsExactly(alone.get(i));
      }
    }
  }

  private static List<int[]> runConcurrently(OnnxChatModel m, List<int[]> prompts, List<SamplingParameters> params)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
    try {
      List<Future<int[]>> futures = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        int k = i;
        Callable<int[]> call = () -> m.generate(GenerationRequest.ofTokens(prompts.get(k), params.get(k)))
            .tokenIds();
        futures.add(pool.submit(call));
      }
      List<int[]> out = new ArrayList<>();
      for (Future<int[]> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStaticBatchGivesEveryLiveMemberItsWholeAnswerWhateverTheOthersDo() {
    Path small = SyntheticDecoder.builder().maxPositions(128).seed(7).write(tmp.resolve("ctx128"));
    Random random = new Random(12);
    GenerationRequest longPrompt = GenerationRequest.ofTokens(prompt(random, 120), SamplingParameters.greedy(8)
        .withMinNewTokens(8));
    GenerationRequest longAnswer = GenerationRequest.ofTokens(prompt(random, 10), SamplingParameters.greedy(100)
        .withMinNewTokens(100));
    try (OnnxChatModel alone = OnnxChatModel.builder().directory(small).build();
        OnnxChatModel statically = OnnxChatModel.builder().directory(small).scheduler(SchedulerSettings.defaults()
            .withScheduling(Scheduling.STATIC).withMaxBatchSequences(2).withBlockTokens(7)).build()) {
      int[] expected = alone.generate(longAnswer).tokenIds();
      assertThat(expected).hasSize(100);
      List<int[]> together = new ArrayList<>();
      try {
        together = runConcurrently(statically, List.of(longPrompt.promptTokens(), longAnswer.promptTokens()),
            List.of(longPrompt.sampling(), longAnswer.sampling()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(together.get(0)).hasSize(8);
      assertThat(together.get(1)).containsExactly(expected);
    }
  }

  @Test
  void textHeldBackForAnIncompleteCharacterIsShownAtTheEnd() {
    TextStream stream = new TextStream(model::detokenize, List.of());
    int[] ids = model.tokenize("hé");
    assertThat(stream.add(ids[0])).isEqualTo("h");
    assertThat(stream.add(ids[1])).isEmpty(); // the first byte of é
    assertThat(stream.flush()).isEqualTo("\uFFFD");
    assertThat(stream.text()).isEqualTo("h\uFFFD");
  }

  @Test
  void cancellingAStreamFreesItsBlocks() {
    AtomicInteger pieces = new AtomicInteger();
    StreamListener cancelAfterThree = new StreamListener() {
      @Override
      public void onToken(String token) {
        pieces.incrementAndGet();
      }

      @Override
      public boolean isCancelled() {
        return pieces.get() >= 3;
      }
    };
    int[] prompt = prompt(new Random(3), 30);
    GenerationResult cancelled = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(400)),
        cancelAfterThree);
    assertThat(cancelled.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(pieces.get()).isEqualTo(3);
    // The next request runs only after the loop dropped the cancelled one.
    model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(2)));
    assertThat(model.stats().kvBlocksUsed()).isZero();
    assertThat(model.stats().running()).isZero();
  }

  @Test
  void aRequestLargerThanTheCacheIsRefusedAtOnce() {
    try (OnnxChatModel small = OnnxChatModel.builder().directory(dir)
        .scheduler(SchedulerSettings.defaults().withBlockTokens(16).withKvCacheBytes(KvCache.blockBytes(2, 2, 16,
            16) * 4)).build()) {
      assertThatThrownBy(() -> small.generate(GenerationRequest.ofTokens(prompt(new Random(4), 40),
          SamplingParameters.greedy(100))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("needs 9 key/value cache blocks")
          .hasMessageContaining("holds 4");
      assertThat(small.generate(GenerationRequest.ofTokens(prompt(new Random(4), 20), SamplingParameters.greedy(8)))
          .generatedTokens()).isPositive();
    }
  }

  @Test
  void badRequestsGetClearErrorsAndDoNotDisturbOthers() throws Exception {
    assertThatThrownBy(() -> SamplingParameters.greedy(0)).hasMessageContaining("maxNewTokens must be at least 1");
    assertThatThrownBy(() -> SamplingParameters.sampled(5, -1)).hasMessageContaining("temperature");
    assertThatThrownBy(() -> SamplingParameters.sampled(5, 1).withTopP(0)).hasMessageContaining("topP");
    assertThatThrownBy(() -> SamplingParameters.greedy(5).withRepetitionPenalty(0))
        .hasMessageContaining("repetitionPenalty");
    int[] longPrompt = prompt(new Random(5), 500);
    assertThatThrownBy(() -> model.generate(GenerationRequest.ofTokens(longPrompt, SamplingParameters.greedy(20))))
        .isInstanceOf(ContextTooLongException.class).hasMessageContaining("500 tokens")
        .hasMessageContaining("context of 512");
    GenerationResult truncated = model.generate(GenerationRequest.ofTokens(longPrompt, SamplingParameters.greedy(20))
        .withPromptTruncation(true));
    assertThat(truncated.promptTokens()).isEqualTo(492);
    assertThatThrownBy(() -> model.generate(GenerationRequest.ofTokens(new int[] {5, 9999},
        SamplingParameters.greedy(3)))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("9999");
    assertThatThrownBy(() -> model.generate(GenerationRequest.of("hi", SamplingParameters.greedy(3))
        .withAdapter("nope"))).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");

    // A running stream is not disturbed by refused requests arriving meanwhile.
    int[] prompt = prompt(new Random(6), 12);
    int[] expected = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(40))).tokenIds();
    AtomicInteger seen = new AtomicInteger();
    List<Throwable> refusals = new ArrayList<>();
    GenerationResult streamed = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(40)),
        piece -> {
          if (seen.incrementAndGet() == 5) {
            try {
              model.generate(GenerationRequest.ofTokens(new int[] {-1}, SamplingParameters.greedy(3)));
            } catch (RuntimeException e) {
              refusals.add(e);
            }
          }
        });
    assertThat(refusals).singleElement().isInstanceOf(InvalidRequestException.class);
    assertThat(streamed.tokenIds()).containsExactly(expected);
  }

  @Test
  void aModelWithoutTheDecoderLayoutIsRefusedNamingWhatIsMissing() throws Exception {
    Path bad = tmp.resolve("not-a-decoder");
    Files.createDirectories(bad);
    GraphBuilder b = new GraphBuilder();
    b.input("input_ids", DataType.INT64, "batch", "sequence");
    b.input("attention_mask", DataType.INT64, "batch", "sequence");
    String table = b.floats("table", new long[] {262, 262}, new float[262 * 262]);
    b.add("Gather", List.of(table, "input_ids"), List.of("logits"));
    b.output("logits", DataType.FLOAT, "batch", "sequence", 262L);
    OnnxFiles.write(b.model("no-cache", 17), bad.resolve("model.onnx"));
    Files.copy(dir.resolve("tokenizer.json"), bad.resolve("tokenizer.json"));
    assertThatThrownBy(() -> OnnxChatModel.builder().directory(bad).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no input 'past_key_values.0.key'")
        .hasMessageContaining("text-generation-with-past");
    assertThatThrownBy(() -> OnnxChatModel.builder().directory(tmp.resolve("missing")).build())
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aClosedModelRefusesWork() {
    OnnxChatModel closed = OnnxChatModel.builder().directory(dir).build();
    closed.close();
    closed.close();
    assertThatThrownBy(() -> closed.generate(GenerationRequest.of("x", SamplingParameters.greedy(2))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void seededSamplingIsReproducibleAndTopKOfOneIsGreedy() {
    int[] prompt = prompt(new Random(7), 10);
    SamplingParameters hot = SamplingParameters.sampled(30, 1.5).withTopP(0.95).withSeed(99L);
    int[] a = model.generate(GenerationRequest.ofTokens(prompt, hot)).tokenIds();
    int[] b = model.generate(GenerationRequest.ofTokens(prompt, hot)).tokenIds();
    int[] c = model.generate(GenerationRequest.ofTokens(prompt, hot.withSeed(100L))).tokenIds();
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
    int[] greedy = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(30))).tokenIds();
    int[] topOne = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.sampled(30, 1.0).withTopK(1)
        .withSeed(5L))).tokenIds();
    assertThat(topOne).containsExactly(greedy);
    int[] penalised = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(30)
        .withRepetitionPenalty(5.0))).tokenIds();
    assertThat(distinct(penalised)).as("a strong repetition penalty repeats less").isGreaterThan(distinct(greedy));
  }

  private static long distinct(int[] ids) {
    return Arrays.stream(ids).distinct().count();
  }

  @Test
  void stopTokensAndStopSequencesEndTheAnswer() {
    int[] prompt = prompt(new Random(8), 16);
    GenerationResult full = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(40)));
    int[] ids = full.tokenIds();
    int stopAt = 6;
    int first = 0;
    while (first < ids.length && ids[first] != ids[stopAt]) {
      first++;
    }
    GenerationResult byToken = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(40)
        .withStopTokenIds(Set.of(ids[stopAt]))));
    assertThat(byToken.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(byToken.tokenIds()).containsExactly(Arrays.copyOf(ids, first));

    String text = full.text();
    assertThat(text.length()).isGreaterThan(12);
    String stop = text.substring(8, 11);
    List<String> pieces = new ArrayList<>();
    GenerationResult bySequence = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(40)
        .withStopSequences(List.of(stop))), pieces::add);
    assertThat(bySequence.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(bySequence.text()).isEqualTo(text.substring(0, text.indexOf(stop)));
    assertThat(String.join("", pieces)).isEqualTo(bySequence.text());
  }

  @Test
  void streamedPiecesNeverSplitACharacterAndAddUpToTheText() {
    String sample = "héllo wörld, 日本語 and 🎉 done";
    int[] ids = model.tokenize(sample);
    assertThat(ids.length).as("byte-level: one token per byte").isEqualTo(
        sample.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    TextStream stream = new TextStream(model::detokenize, List.of());
    StringBuilder shown = new StringBuilder();
    for (int id : ids) {
      String piece = stream.add(id);
      assertThat(piece).doesNotContain("\uFFFD");
      if (!piece.isEmpty()) {
        assertThat(Character.isLowSurrogate(piece.charAt(0))).isFalse();
      }
      shown.append(piece);
    }
    shown.append(stream.flush());
    assertThat(shown.toString()).isEqualTo(sample);

    List<String> pieces = new ArrayList<>();
    GenerationResult sampled = model.generate(GenerationRequest.ofTokens(prompt(new Random(9), 8),
        SamplingParameters.sampled(120, 2.0).withSeed(3L)), pieces::add);
    assertThat(String.join("", pieces)).isEqualTo(sampled.text());
    assertThat(pieces).allSatisfy(p -> assertThat(p).isNotEmpty());
  }

  @Test
  void answersChatRequestsThroughItsChatTemplate() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (OnnxChatModel chat = OnnxChatModel.builder().directory(dir).id("tiny-chat").meterRegistry(meters).build()) {
      ChatRequest request = ChatRequest.builder().system("Be brief.").user("Hello!").maxTokens(12).build();
      assertThat(chat.applyChatTemplate(request))
          .isEqualTo("<|bos|><|system|>Be brief.<|end|><|user|>Hello!<|end|><|assistant|>");
      List<String> pieces = new ArrayList<>();
      ChatResponse response = chat.stream(request, pieces::add);
      assertThat(response.modelId()).isEqualTo("tiny-chat");
      assertThat(response.usage().inputTokens()).isEqualTo(chat.tokenize(chat.applyChatTemplate(request)).length);
      assertThat(response.usage().outputTokens()).isBetween(1, 12);
      assertThat(response.timeToFirstToken()).isNotNull();
      assertThat(String.join("", pieces)).isEqualTo(response.text());
      ChatResponse again = chat.chat(request);
      assertThat(again.text()).isEqualTo(response.text());
      assertThat(meters.get("llmops.generation.tokens").tag("type", "generated").counter().count())
          .isEqualTo(response.usage().outputTokens() + again.usage().outputTokens());
      assertThatThrownBy(() -> chat.chat(request.toBuilder().tool(new ToolSpecification("f", "d",
          "{\"type\":\"object\"}")).build())).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("tools");
      assertThatThrownBy(() -> chat.chat(request.toBuilder().model("other").build()))
          .isInstanceOf(NotFoundException.class).hasMessageContaining("other");
    }
  }

  @Test
  void chatTemplatesRenderJinjaAndReportTheirErrors() {
    ChatTemplate strict = ChatTemplate.of("{% for m in messages %}{% if m.role == 'system' %}"
        + "{{ raise_exception('no system messages') }}{% endif %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"
        + "{% if add_generation_prompt %}{{ '[assistant] ' }}{% endif %}");
    ChatRequest ok = ChatRequest.builder().user("a").assistant("b").user("c").build();
    assertThat(strict.render(ok.messages(), true, null, null)).isEqualTo("[user] a\n[assistant] b\n[user] c\n"
        + "[assistant] ");
    ChatRequest refused = ChatRequest.builder().system("s").user("a").build();
    assertThatThrownBy(() -> strict.render(refused.messages(), true, null, null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no system messages");
    assertThatThrownBy(() -> ChatTemplate.of(" ")).isInstanceOf(InvalidRequestException.class);
  }
}
