package dev.llmops.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CancelledException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedding model on the real all-MiniLM-L6-v2 ONNX files. */
class OnnxEmbeddingModelTest {

  static OnnxEmbeddingModel model;
  static SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeAll
  static void load() {
    model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2")).meterRegistry(meters)
        .build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void embedsTextsIntoUnitVectorsThatCarryMeaning() {
    EmbeddingResult result = model.embedAll(List.of("The cat sat on the mat.", "A kitten is sitting on a rug.",
        "Quarterly revenue grew by twelve percent."));
    assertThat(result.size()).isEqualTo(3);
    assertThat(result.modelId()).isEqualTo("all-minilm-l6-v2");
    assertThat(model.dimension()).hasValue(384);
    Embedding cat = result.get(0);
    assertThat(cat.dimension()).isEqualTo(384);
    assertThat(norm(cat)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(cat.handling()).isEqualTo(InputHandling.WHOLE);
    assertThat(cat.tokenCount()).isEqualTo(model.countTokens("The cat sat on the mat."));
    assertThat(cat.cosine(result.get(1))).isGreaterThan(0.5).isGreaterThan(cat.cosine(result.get(2)) + 0.3);
    assertThat(result.totalTokens()).isEqualTo(result.embeddings().stream().mapToInt(Embedding::tokenCount).sum());
  }

  @Test
  void batchedAndUnbatchedEmbeddingsAgree() {
    List<String> texts = new ArrayList<>(ModelFixtures.claims());
    texts.add(ModelFixtures.longText("A long one.", 400, 1));
    EmbeddingResult batched = model.embedAll(texts);
    try (OnnxEmbeddingModel single = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2"))
        .batching(BatchingSettings.unbatched()).meterRegistry(new SimpleMeterRegistry()).build()) {
      for (int i = 0; i < texts.size(); i++) {
        Embedding alone = single.embed(texts.get(i));
        assertThat(alone.cosine(batched.get(i))).as("text %d", i).isGreaterThanOrEqualTo(0.9999);
        assertThat(alone.tokenCount()).isEqualTo(batched.get(i).tokenCount());
      }
      assertThat(single.stats().meanBatchSize()).isEqualTo(1.0);
    }
    assertThat(model.stats().meanBatchSize()).isGreaterThan(1.0);
  }

  @Test
  void orderIsPreservedUnderConcurrency() throws Exception {
    List<String> claims = ModelFixtures.claims();
    List<Embedding> reference = model.embedAll(claims).embeddings();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        futures.add(pool.submit(() -> {
          start.await();
          int mismatches = 0;
          for (int round = 0; round < 6; round++) {
            // Each caller asks for a rotated slice, so neighbours in a batch belong to different callers.
            int from = (offset * 7 + round * 3) % claims.size();
            List<String> slice = new ArrayList<>();
            List<Integer> which = new ArrayList<>();
            for (int k = 0; k < 1 + (offset + round) % 4; k++) {
              int index = (from + k * 5) % claims.size();
              slice.add(claims.get(index));
              which.add(index);
            }
            EmbeddingResult r = model.embedAll(slice);
            for (int k = 0; k < slice.size(); k++) {
              if (r.get(k).cosine(reference.get(which.get(k))) < 0.9999) {
                mismatches++;
              }
            }
          }
          return mismatches;
        }));
      }
      start.countDown();
      for (Future<Integer> f : futures) {
        assertThat(f.get(120, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void longTextsAreChunkedSoEveryTokenCounts() {
    String shared = ModelFixtures.longText("Shared opening.", 260, 7);
    String a = shared + " " + ModelFixtures.longText("First ending about kidney trials.", 140, 8);
    String b = shared + " " + ModelFixtures.longText("Second ending about brain signals.", 140, 9);
    Embedding ea = model.embed(a);
    Embedding eb = model.embed(b);
    assertThat(ea.handling()).isEqualTo(InputHandling.CHUNKED);
    assertThat(ea.tokenCount()).isGreaterThan(300);
    assertThat(ea.cosine(eb)).isLessThan(0.999);

    try (OnnxEmbeddingModel truncating = OnnxEmbeddingModel.builder()
        .source(ModelSource.builtIn("all-minilm-l6-v2")).overflow(OverflowPolicy.TRUNCATE)
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      Embedding ta = truncating.embed(a);
      Embedding tb = truncating.embed(b);
      assertThat(ta.handling()).isEqualTo(InputHandling.TRUNCATED);
      assertThat(ta.cosine(tb)).as("truncation hides the difference").isGreaterThan(0.99999);
    }
  }

  @Test
  void theWindowCountIsTheNumberOfWindowsThatRanAtEveryBoundary() {
    // 254 text tokens fill one window; each further window adds 222 (256 - 2 special - 32 overlap).
    for (int words : new int[] {254, 255, 476, 477, 699}) {
      try (OnnxEmbeddingModel fresh = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
          .meterRegistry(new SimpleMeterRegistry()).build()) {
        Embedding e = fresh.embed("the ".repeat(words).strip());
        assertThat(e.tokenCount()).isEqualTo(words + 2);
        assertThat((long) fresh.windowCount(e)).as("windows for %d tokens", e.tokenCount())
            .isEqualTo(fresh.stats().rows());
      }
    }
  }

  @Test
  void aLongTextCanBeRefused() {
    try (OnnxEmbeddingModel strict = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2"))
        .overflow(OverflowPolicy.FAIL).meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThatThrownBy(() -> strict.embedAll(List.of("short", ModelFixtures.longText("x", 400, 3))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("texts[1]")
          .hasMessageContaining("more than the 256");
      assertThat(strict.embed("short").handling()).isEqualTo(InputHandling.WHOLE);
    }
  }

  @Test
  void int8VectorsAgreeWithFp32() {
    List<String> claims = ModelFixtures.claims();
    List<Embedding> fp32 = model.embedAll(claims).embeddings();
    try (OnnxEmbeddingModel int8 = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      List<Embedding> q = int8.embedAll(claims).embeddings();
      double mean = 0;
      for (int i = 0; i < claims.size(); i++) {
        mean += fp32.get(i).cosine(q.get(i));
      }
      mean /= claims.size();
      assertThat(mean).isGreaterThanOrEqualTo(0.99);
      // int8 scales activations per batch: a vector moves a little with its neighbours, as documented.
      for (int i = 0; i < 5; i++) {
        assertThat(int8.embed(claims.get(i)).cosine(q.get(i))).isGreaterThan(0.98);
      }
    }
  }

  @Test
  void badTextsFailTheCallAloneWithClearMessages() {
    assertThatThrownBy(() -> model.embedAll(List.of("fine", ""))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("texts[1] is empty");
    assertThatThrownBy(() -> model.embed("   \n")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> model.embedAll(Arrays.asList("fine", null))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("texts[1] is null");
    assertThatThrownBy(() -> model.embed("broken \uD800 text")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unpaired high surrogate at char 7");
    assertThatThrownBy(() -> model.embed("broken \uDC00")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unpaired low surrogate");
    String megabyte = "a".repeat(1 << 20);
    assertThatThrownBy(() -> model.embed(megabyte)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("1048576 chars").hasMessageContaining("maxInputChars");
    assertThatThrownBy(() -> model.embedAll(List.of())).isInstanceOf(InvalidRequestException.class);
    // A valid surrogate pair is fine, and the model still works after the refusals.
    assertThat(model.embed("emoji \uD83D\uDE00 ok").dimension()).isEqualTo(384);
  }

  @Test
  void aFullQueueRefusesWhileOtherRequestsComplete() throws Exception {
    try (OnnxEmbeddingModel small = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .batching(BatchingSettings.builder().queueCapacity(40).maxBatchSize(4).build())
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      CompletableFuture<EmbeddingResult> first = small.embedAllAsync(ModelFixtures.claims().subList(0, 39));
      // Two workers take at most a batch of 4 each before this call: 31 + 20 rows still exceed 40.
      assertThatThrownBy(() -> small.embedAllAsync(ModelFixtures.claims().subList(0, 20)))
          .isInstanceOf(RateLimitedException.class)
          .hasMessageContaining("queueCapacity 40");
      assertThat(first.get(60, TimeUnit.SECONDS).size()).isEqualTo(39);
      assertThat(small.stats().rejected()).isEqualTo(20);
      assertThat(small.embed("still serving").dimension()).isEqualTo(384);
    }
  }

  @Test
  void cancelledAndTimedOutRequestsStopWithoutHarmingOthers() throws Exception {
    try (OnnxEmbeddingModel m = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .batching(BatchingSettings.builder().maxBatchSize(2).requestTimeout(Duration.ofMillis(300)).build())
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        many.add(ModelFixtures.longText("Text " + i, 60, i));
      }
      CompletableFuture<EmbeddingResult> cancelled = m.embedAllAsync(many);
      cancelled.cancel(true);
      assertThat(cancelled).isCancelled();
      // 300 rows at 2 per batch cannot finish in 300 ms on this machine; the caller gets a timeout.
      assertThatThrownBy(() -> m.embedAll(many)).isInstanceOf(RequestTimeoutException.class);
      assertThat(m.embed("after the timeout").dimension()).isEqualTo(384);
      long rows = m.stats().rows();
      assertThat(rows).as("rows of the cancelled and timed-out requests that ran").isLessThan(600);
    }
  }

  @Test
  void anInterruptedCallerGetsCancelled() throws Exception {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(ModelFixtures.longText("Item " + i, 100, i));
    }
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> model.embedAll(many)).isInstanceOf(CancelledException.class);
    assertThat(Thread.interrupted()).as("the interrupt flag is kept").isTrue();
  }

  @Test
  void closeFinishesQueuedWorkThenRefuses() throws Exception {
    OnnxEmbeddingModel m = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .meterRegistry(new SimpleMeterRegistry()).build();
    List<CompletableFuture<EmbeddingResult>> futures = new ArrayList<>();
    for (String claim : ModelFixtures.claims()) {
      futures.add(m.embedAllAsync(List.of(claim)));
    }
    m.close();
    for (CompletableFuture<EmbeddingResult> f : futures) {
      assertThat(f.get(0, TimeUnit.SECONDS).size()).isEqualTo(1);
    }
    assertThatThrownBy(() -> m.embed("late")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    m.close();
  }

  @Test
  void closingWhileCallersTokenizeIsSafe() throws Exception {
    OnnxEmbeddingModel m = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2-q"))
        .meterRegistry(new SimpleMeterRegistry()).build();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        outcomes.add(pool.submit(() -> {
          try {
            for (int i = 0; ; i++) {
              m.embed(ModelFixtures.longText("caller text " + i, 30, i));
            }
          } catch (IllegalStateException closed) {
            return "closed";
          } catch (dev.llmops.core.UnavailableException refused) {
            return "closed";
          }
        }));
      }
      Thread.sleep(300);
      m.close();
      for (Future<String> outcome : outcomes) {
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo("closed");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void metersDescribeTheBatches() {
    model.embedAll(ModelFixtures.claims());
    assertThat(meters.get("llmops.inference.batch.size").tag("model", "all-minilm-l6-v2").summary().count())
        .isPositive();
    assertThat(meters.get("llmops.inference.tokens").counter().count()).isPositive();
    assertThat(meters.get("llmops.inference.padding.ratio").summary().max()).isLessThan(1.0);
    InferenceStats stats = model.stats();
    assertThat(stats.paddingRatio()).isBetween(0.0, 1.0);
    assertThat(stats.tokensPerSecond()).isPositive();
  }

  @Test
  void asyncFailuresArriveThroughTheFuture() {
    CompletableFuture<EmbeddingResult> ok = model.embedAllAsync(List.of("fine"));
    assertThat(ok.join().size()).isEqualTo(1);
    // Bad input is refused at once, before anything is queued, as in the blocking call.
    assertThatThrownBy(() -> model.embedAllAsync(List.of(""))).isInstanceOf(InvalidRequestException.class);
  }

  private static double norm(Embedding e) {
    double s = 0;
    for (float x : e.vector()) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
