package dev.llmops.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.Ticker;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.chat.ToolChoice;
import dev.llmops.core.chat.ToolSpecification;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

  private static final String PASSWORD = "How do I reset my password?";
  private static final String PASSWORD_SIMILAR = "how can I reset my password";
  private static final String PASSWORD_NEARER = "how to reset my password";
  private static final String PASSWORD_CHANGE = "how do I change my password";
  private static final String WEATHER = "What is the weather like?";
  private static final String BOOM = "this text makes the embedding model fail";

  private static final CacheScope SCOPE = new CacheScope("support", "v1", "acme", Set.of("staff"));

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Ticker ticker = nanos::get;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final VectorModel vectors = new VectorModel()
      // Deliberately not unit length: the cache normalises. Cosines with PASSWORD: 0.97, 0.9993, 0.90 and 0.
      .put(PASSWORD, 2, 0, 0)
      .put(PASSWORD_SIMILAR, 9.7f, 2.431049f, 0)
      .put(PASSWORD_NEARER, 0.96f, 0.28f, 0)
      .put(PASSWORD_CHANGE, 0.9f, 0.43589f, 0)
      .put(WEATHER, 0, 0, 3);

  /** An embedding model that maps texts to the vectors a test gives it, fails for others, and counts its calls. */
  private static final class VectorModel implements EmbeddingModel {
    final Map<String, float[]> byText = new HashMap<>();
    final AtomicInteger calls = new AtomicInteger();

    VectorModel put(String text, float... vector) {
      byText.put(text, vector);
      return this;
    }

    @Override
    public EmbeddingResult embedAll(List<String> texts) {
      calls.incrementAndGet();
      List<Embedding> out = new ArrayList<>();
      for (String text : texts) {
        float[] v = byText.get(text);
        if (v == null) {
          throw new UnavailableException("the embedding server is down");
        }
        out.add(new Embedding(v, -1, InputHandling.WHOLE));
      }
      return new EmbeddingResult(out, modelId(), -1);
    }

    @Override
    public String modelId() {
      return "test-vectors";
    }
  }

  private ResponseCache.Builder builder() {
    return ResponseCache.builder().ttl(Duration.ofMinutes(10)).ticker(ticker).meterRegistry(meters);
  }

  private ResponseCache semanticCache() {
    return builder().semantic(vectors, 0.95).build();
  }

  private static ChatRequest.Builder base(String user) {
    return ChatRequest.builder().model("gpt-test").system("You are a support agent.").user(user).temperature(0.0);
  }

  private static ChatRequest request(String user) {
    return base(user).build();
  }

  private static ChatResponse answer(String text) {
    return answer(text, FinishReason.STOP, List.of());
  }

  private static ChatResponse answer(String text, FinishReason reason, List<ToolCall> calls) {
    return new ChatResponse(text, calls, reason, TokenUsage.of(20, 10), "gpt-test-2024", Duration.ofMillis(300), null,
        "resp-" + text);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private double requests(String result) {
    Counter c = meters.find("llmops.router.cache.requests").tags("route", "support", "result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void anEqualRequestIsServedTheStoredAnswerExactly() {
    ResponseCache cache = builder().build();
    ChatResponse stored = answer("Click 'Forgot password'.");
    cache.store(SCOPE, request(PASSWORD), stored, 0.0042);

    Optional<ResponseCache.Hit> hit = cache.lookup(SCOPE, request(PASSWORD)); // an equal, distinct object

    assertThat(hit).hasValueSatisfying(h -> {
      assertThat(h.response()).isSameAs(stored);
      assertThat(h.semantic()).isFalse();
      assertThat(h.similarity()).isEqualTo(1.0);
      assertThat(h.savedCost()).isEqualTo(0.0042);
    });
    assertThat(cache.stats()).isEqualTo(new ResponseCache.Stats(1, 0, 0, 1, 0.0042));
  }

  @Test
  void changingAnyParameterThatShapesTheAnswerMisses() {
    ResponseCache cache = builder().cacheSampledRequests(true).build();
    String schema = "{\"type\":\"object\"}";
    ToolSpecification weather = new ToolSpecification("weather", "looks up the weather", schema);
    ToolSpecification time = new ToolSpecification("time", "tells the time", schema);
    Map<String, ChatRequest> variants = new java.util.LinkedHashMap<>();
    variants.put("model", base(PASSWORD).model("gpt-other").build());
    variants.put("default model", base(PASSWORD).model(null).build());
    variants.put("system prompt", ChatRequest.builder().model("gpt-test").system("You are a pirate.").user(PASSWORD)
        .temperature(0.0).build());
    variants.put("user text", request(PASSWORD + " "));
    variants.put("earlier turn", ChatRequest.builder().model("gpt-test").system("You are a support agent.")
        .user("hi").assistant("hello").user(PASSWORD).temperature(0.0).build());
    variants.put("later turns", base(PASSWORD)
        .message(new ChatMessage.AssistantMessage("", List.of(new ToolCall("c1", "weather", "{\"city\":\"Oslo\"}"))))
        .message(ChatMessage.tool("c1", "sunny")).build());
    variants.put("tool call arguments", base(PASSWORD)
        .message(new ChatMessage.AssistantMessage("", List.of(new ToolCall("c1", "weather", "{\"city\":\"Rome\"}"))))
        .message(ChatMessage.tool("c1", "sunny")).build());
    variants.put("tool call id", base(PASSWORD)
        .message(new ChatMessage.AssistantMessage("", List.of(new ToolCall("c2", "weather", "{\"city\":\"Oslo\"}"))))
        .message(ChatMessage.tool("c2", "sunny")).build());
    variants.put("tool result", base(PASSWORD)
        .message(new ChatMessage.AssistantMessage("", List.of(new ToolCall("c1", "weather", "{\"city\":\"Oslo\"}"))))
        .message(ChatMessage.tool("c1", "rainy")).build());
    variants.put("role", ChatRequest.builder().model("gpt-test").user("You are a support agent.").user(PASSWORD)
        .temperature(0.0).build());
    variants.put("temperature", base(PASSWORD).temperature(0.7).build());
    variants.put("no temperature", base(PASSWORD).temperature(null).build());
    variants.put("topP", base(PASSWORD).topP(0.9).build());
    variants.put("topP one", base(PASSWORD).topP(1.0).build());
    variants.put("maxTokens", base(PASSWORD).maxTokens(100).build());
    variants.put("other maxTokens", base(PASSWORD).maxTokens(200).build());
    variants.put("stop ab", base(PASSWORD).stop("ab").build());
    variants.put("stop a, b", base(PASSWORD).stop("a", "b").build());
    variants.put("seed", base(PASSWORD).seed(7L).build());
    variants.put("other seed", base(PASSWORD).seed(8L).build());
    variants.put("presence penalty", base(PASSWORD).presencePenalty(0.5).build());
    variants.put("other presence penalty", base(PASSWORD).presencePenalty(-0.5).build());
    variants.put("frequency penalty", base(PASSWORD).frequencyPenalty(0.5).build());
    variants.put("tool", base(PASSWORD).tool(weather).build());
    variants.put("two tools", base(PASSWORD).tool(weather).tool(time).build());
    variants.put("tool choice none", base(PASSWORD).tool(weather).toolChoice(ToolChoice.none()).build());
    variants.put("tool choice function", base(PASSWORD).tool(weather).toolChoice(ToolChoice.function("weather")).build());
    variants.put("json object", base(PASSWORD).responseFormat(ResponseFormat.jsonObject()).build());
    variants.put("json schema", base(PASSWORD).responseFormat(ResponseFormat.jsonSchema("a", schema, true)).build());
    variants.put("json schema lax", base(PASSWORD).responseFormat(ResponseFormat.jsonSchema("a", schema, false)).build());

    cache.store(SCOPE, request(PASSWORD), answer("base"), 0.01);
    for (Map.Entry<String, ChatRequest> v : variants.entrySet()) {
      assertThat(cache.lookup(SCOPE, v.getValue())).as(v.getKey()).isEmpty();
    }
    // Each variant has a key of its own: storing every one keeps them all apart, and the base entry intact.
    variants.forEach((name, r) -> cache.store(SCOPE, r, answer(name), 0.01));
    for (Map.Entry<String, ChatRequest> v : variants.entrySet()) {
      assertThat(cache.lookup(SCOPE, v.getValue())).as(v.getKey())
          .hasValueSatisfying(h -> assertThat(h.response().text()).isEqualTo(v.getKey()));
    }
    assertThat(cache.lookup(SCOPE, request(PASSWORD)))
        .hasValueSatisfying(h -> assertThat(h.response().text()).isEqualTo("base"));
  }

  @Test
  void entriesExpireAfterTheTtlMeasuredWithTheTicker() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("A"), 0.01);

    advance(Duration.ofMinutes(10).minusNanos(1));
    assertThat(cache.lookup(SCOPE, request(PASSWORD))).isPresent();
    assertThat(cache.lookup(SCOPE, request(PASSWORD_SIMILAR))).hasValueSatisfying(h -> assertThat(h.semantic()).isTrue());

    advance(Duration.ofNanos(1));
    assertThat(cache.lookup(SCOPE, request(PASSWORD))).isEmpty();
    assertThat(cache.lookup(SCOPE, request(PASSWORD_SIMILAR))).isEmpty();
  }

  @Test
  void aSemanticGroupKeepsOnlyLiveEntriesWhenAYoungerOneJoins() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("old"), 0.01);
    advance(Duration.ofMinutes(6));
    cache.store(SCOPE, request(WEATHER), answer("weather"), 0.01); // rewrites the group, keeping PASSWORD's entry
    advance(Duration.ofMinutes(5)); // PASSWORD's entry is 11 minutes old, WEATHER's 5

    assertThat(cache.lookup(SCOPE, request(PASSWORD_SIMILAR))).isEmpty();
    assertThat(cache.lookup(SCOPE, request(WEATHER))).isPresent();
  }

  @Test
  void answersNeverCrossTenantsOrAccessGroupsNotEvenSemantically() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("acme staff only"), 0.01);

    List<CacheScope> others = List.of(
        new CacheScope("support", "v1", "globex", Set.of("staff")),
        new CacheScope("support", "v1", null, Set.of("staff")),
        new CacheScope("support", "v1", "acme", Set.of()),
        new CacheScope("support", "v1", "acme", Set.of("staff", "admin")),
        new CacheScope("support", "v1", "acme", Set.of("admin")));
    for (CacheScope other : others) {
      assertThat(cache.lookup(other, request(PASSWORD))).as("exact, %s", other).isEmpty();
      assertThat(cache.lookup(other, request(PASSWORD_SIMILAR))).as("semantic, %s", other).isEmpty();
    }
    // The same groups in another order and another set implementation are the same scope.
    CacheScope same = new CacheScope("support", "v1", "acme", new LinkedHashSet<>(List.of("staff")));
    assertThat(cache.lookup(same, request(PASSWORD_SIMILAR))).isPresent();
    assertThat(cache.stats().misses()).isEqualTo(2L * others.size());
  }

  @Test
  void answersNeverCrossReleasesOrRoutes() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("from v1"), 0.01);
    CacheScope v2 = new CacheScope("support", "v2", "acme", Set.of("staff"));
    CacheScope otherRoute = new CacheScope("sales", "v1", "acme", Set.of("staff"));

    assertThat(cache.lookup(v2, request(PASSWORD))).isEmpty();
    assertThat(cache.lookup(v2, request(PASSWORD_SIMILAR))).isEmpty();
    assertThat(cache.lookup(otherRoute, request(PASSWORD))).isEmpty();
    assertThat(cache.lookup(otherRoute, request(PASSWORD_SIMILAR))).isEmpty();
  }

  @Test
  void invalidatingAScopeDropsItsExactAndSemanticEntriesOnly() {
    ResponseCache cache = semanticCache();
    CacheScope v2 = new CacheScope("support", "v2", "acme", Set.of("staff"));
    cache.store(SCOPE, request(PASSWORD), answer("from v1"), 0.01);
    cache.store(v2, request(PASSWORD), answer("from v2"), 0.01);

    cache.invalidate(SCOPE);

    assertThat(cache.lookup(SCOPE, request(PASSWORD))).isEmpty();
    assertThat(cache.lookup(SCOPE, request(PASSWORD_SIMILAR))).isEmpty();
    assertThat(cache.lookup(v2, request(PASSWORD)))
        .hasValueSatisfying(h -> assertThat(h.response().text()).isEqualTo("from v2"));
    assertThat(cache.lookup(v2, request(PASSWORD_SIMILAR)))
        .hasValueSatisfying(h -> assertThat(h.response().text()).isEqualTo("from v2"));

    cache.clear();
    assertThat(cache.lookup(v2, request(PASSWORD))).isEmpty();
    assertThat(cache.lookup(v2, request(PASSWORD_SIMILAR))).isEmpty();
  }

  @Test
  void aSimilarQuestionIsServedTheMostSimilarAnswerAtOrAboveTheThreshold() {
    ResponseCache cache = semanticCache();
    ChatResponse reset = answer("Click 'Forgot password'.");
    cache.store(SCOPE, request(PASSWORD), reset, 0.003);
    cache.store(SCOPE, request(WEATHER), answer("sunny"), 0.001);

    Optional<ResponseCache.Hit> hit = cache.lookup(SCOPE, request(PASSWORD_SIMILAR));

    assertThat(hit).hasValueSatisfying(h -> {
      assertThat(h.response()).isSameAs(reset);
      assertThat(h.semantic()).isTrue();
      assertThat(h.similarity()).isCloseTo(0.97, within(1e-5));
      assertThat(h.savedCost()).isEqualTo(0.003);
    });

    cache.store(SCOPE, request(PASSWORD_NEARER), answer("nearer"), 0.002);
    assertThat(cache.lookup(SCOPE, request(PASSWORD_SIMILAR))) // 0.9993 to NEARER beats 0.97 to PASSWORD
        .hasValueSatisfying(h -> assertThat(h.response().text()).isEqualTo("nearer"));
  }

  @Test
  void aQuestionBelowTheThresholdMisses() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("reset"), 0.003);

    assertThat(cache.lookup(SCOPE, request(PASSWORD_CHANGE))).isEmpty(); // cosine 0.90 < 0.95

    ResponseCache lenient = builder().semantic(vectors, 0.85).build();
    lenient.store(SCOPE, request(PASSWORD), answer("reset"), 0.003);
    assertThat(lenient.lookup(SCOPE, request(PASSWORD_CHANGE)))
        .hasValueSatisfying(h -> assertThat(h.similarity()).isCloseTo(0.90, within(1e-4)));
  }

  @Test
  void semanticMatchesNeverCrossContexts() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("reset"), 0.003);

    List<ChatRequest> otherContexts = List.of(
        ChatRequest.builder().model("gpt-test").system("You are a pirate.").user(PASSWORD_SIMILAR).temperature(0.0).build(),
        ChatRequest.builder().model("gpt-test").user(PASSWORD_SIMILAR).temperature(0.0).build(),
        base(PASSWORD_SIMILAR).model("gpt-other").build(),
        base(PASSWORD_SIMILAR).maxTokens(50).build(),
        ChatRequest.builder().model("gpt-test").system("You are a support agent.").user("hi").assistant("hello")
            .user(PASSWORD_SIMILAR).temperature(0.0).build());
    for (ChatRequest r : otherContexts) {
      assertThat(cache.lookup(SCOPE, r)).as("%s", r.messages()).isEmpty();
    }
    // The same context with the same words: served.
    assertThat(cache.lookup(SCOPE, request(PASSWORD_SIMILAR))).isPresent();
  }

  @Test
  void sampledRequestsAreBypassedUnlessAllowed() {
    ResponseCache cache = builder().build();
    List<ChatRequest> sampled = List.of(
        base(PASSWORD).temperature(null).build(),
        base(PASSWORD).temperature(0.7).build(),
        base(PASSWORD).temperature(0.7).seed(42L).build(),
        base(PASSWORD).topP(0.5).build());
    for (ChatRequest r : sampled) {
      assertThat(cache.isCacheable(r)).as("%s", r).isFalse();
      cache.store(SCOPE, r, answer("sampled"), 0.01);
      assertThat(cache.lookup(SCOPE, r)).as("%s", r).isEmpty();
    }
    assertThat(cache.stats()).isEqualTo(new ResponseCache.Stats(0, 0, 0, 0, 0));
    assertThat(requests("bypassed")).isEqualTo(4);
    assertThat(cache.isCacheable(base(PASSWORD).topP(1.0).seed(42L).build())).isTrue();

    ResponseCache allowing = builder().cacheSampledRequests(true).build();
    for (ChatRequest r : sampled) {
      assertThat(allowing.isCacheable(r)).isTrue();
      allowing.store(SCOPE, r, answer("sampled"), 0.01);
      assertThat(allowing.lookup(SCOPE, r)).isPresent();
    }
  }

  @Test
  void onlyCompleteAnswersWithoutToolCallsAreKept() {
    ResponseCache cache = builder().build();
    for (FinishReason reason : FinishReason.values()) {
      if (reason != FinishReason.STOP) {
        ChatRequest r = request(PASSWORD + reason);
        cache.store(SCOPE, r, answer("partial", reason, List.of()), 0.01);
        assertThat(cache.lookup(SCOPE, r)).as("%s", reason).isEmpty();
      }
    }
    ChatRequest withTools = request("call a tool");
    cache.store(SCOPE, withTools, answer("", FinishReason.STOP, List.of(new ToolCall("c1", "weather", "{}"))), 0.01);
    assertThat(cache.lookup(SCOPE, withTools)).isEmpty();
    assertThat(cache.stats().stores()).isZero();
  }

  @Test
  void aFailingEmbeddingModelMakesAMissNotAnError() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("reset"), 0.01); // the group exists, so a lookup must embed
    int callsBefore = vectors.calls.get();
    ChatRequest boom = request(BOOM);

    assertThat(cache.lookup(SCOPE, boom)).isEmpty();
    cache.store(SCOPE, boom, answer("boom answer"), 0.02); // the failure is remembered: no second attempt

    assertThat(vectors.calls.get()).isEqualTo(callsBefore + 1);
    assertThat(meters.counter("llmops.router.cache.embedding.errors", "route", "support").count()).isEqualTo(1);
    assertThat(requests("miss")).isEqualTo(1);
    // The exact entry was still kept, and the semantic group still serves the others.
    assertThat(cache.lookup(SCOPE, request(BOOM))).hasValueSatisfying(h -> assertThat(h.semantic()).isFalse());
    assertThat(cache.lookup(SCOPE, request(PASSWORD_SIMILAR))).isPresent();
  }

  @Test
  void aFailingEmbeddingModelOnStoreKeepsTheExactEntry() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(BOOM), answer("boom answer"), 0.02);

    assertThat(cache.lookup(SCOPE, request(BOOM))).isPresent();
    assertThat(meters.counter("llmops.router.cache.embedding.errors", "route", "support").count()).isEqualTo(1);
    assertThat(cache.stats().stores()).isEqualTo(1);
  }

  @Test
  void aLookupAndStoreOfOneRequestEmbedOnce() {
    ResponseCache cache = semanticCache();
    ChatRequest first = request(PASSWORD);
    assertThat(cache.lookup(SCOPE, first)).isEmpty(); // no group yet: nothing to compare with, no embedding
    assertThat(vectors.calls.get()).isZero();
    cache.store(SCOPE, first, answer("reset"), 0.01);
    assertThat(vectors.calls.get()).isEqualTo(1);

    ChatRequest second = request(WEATHER);
    assertThat(cache.lookup(SCOPE, second)).isEmpty(); // the group exists: embeds, finds nothing similar
    cache.store(SCOPE, second, answer("sunny"), 0.01); // reuses the lookup's embedding
    assertThat(vectors.calls.get()).isEqualTo(2);

    assertThat(cache.lookup(SCOPE, request(WEATHER))).isPresent(); // exact hit: no embedding
    assertThat(vectors.calls.get()).isEqualTo(2);
  }

  @Test
  void requestsWithoutAUserMessageAreCachedExactlyOnly() {
    ResponseCache cache = semanticCache();
    ChatRequest systemOnly = ChatRequest.builder().system("Say hello.").temperature(0.0).build();
    cache.store(SCOPE, systemOnly, answer("hello"), 0.01);

    assertThat(cache.lookup(SCOPE, ChatRequest.builder().system("Say hello.").temperature(0.0).build())).isPresent();
    assertThat(vectors.calls.get()).isZero();
  }

  @Test
  void hitsMissesBypassesAndSavedCostAreCountedPerRoute() {
    ResponseCache cache = semanticCache();
    cache.store(SCOPE, request(PASSWORD), answer("reset"), 0.25);
    cache.lookup(SCOPE, request(PASSWORD)); // exact
    cache.lookup(SCOPE, request(PASSWORD)); // exact
    cache.lookup(SCOPE, request(PASSWORD_SIMILAR)); // semantic
    cache.lookup(SCOPE, request(WEATHER)); // miss
    cache.lookup(SCOPE, base(PASSWORD).temperature(1.0).build()); // bypassed
    cache.lookup(new CacheScope("sales", "v1", null, Set.of()), request(PASSWORD)); // miss on another route

    assertThat(cache.stats()).isEqualTo(new ResponseCache.Stats(2, 1, 2, 1, 0.75));
    assertThat(cache.stats().lookups()).isEqualTo(5);
    assertThat(requests("exact_hit")).isEqualTo(2);
    assertThat(requests("semantic_hit")).isEqualTo(1);
    assertThat(requests("miss")).isEqualTo(1);
    assertThat(requests("bypassed")).isEqualTo(1);
    assertThat(meters.counter("llmops.router.cache.requests", "route", "sales", "result", "miss").count()).isEqualTo(1);
    assertThat(meters.counter("llmops.router.cache.saved.cost", "route", "support").count()).isEqualTo(0.75);
    // Low cardinality: no tenant, release or text in any tag.
    for (Meter meter : meters.getMeters()) {
      assertThat(meter.getId().getTags()).extracting(Tag::getKey).isSubsetOf("route", "result");
    }
  }

  @Test
  void concurrentLookupsAndStoresNeverServeAnotherKeysAnswer() throws Exception {
    int keys = 48;
    VectorModel oneHot = new VectorModel();
    for (int k = 0; k < keys; k++) {
      float[] v = new float[keys];
      v[k] = 1;
      oneHot.put("question " + k, v);
    }
    // Few entries, so eviction runs alongside lookups and stores.
    ResponseCache cache = builder().maximumEntries(32).semantic(oneHot, 0.95).build();
    List<CacheScope> scopes = List.of(SCOPE, new CacheScope("support", "v1", "globex", Set.of("staff")));
    int threads = 8;
    int iterations = 3_000;
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicInteger lookups = new AtomicInteger();
    AtomicInteger storesMade = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(() -> {
          start.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < iterations; i++) {
            int s = random.nextInt(scopes.size());
            int k = random.nextInt(keys);
            CacheScope scope = scopes.get(s);
            ChatRequest r = request("question " + k);
            String expected = "answer " + s + "/" + k;
            Optional<ResponseCache.Hit> hit = cache.lookup(scope, r);
            lookups.incrementAndGet();
            if (hit.isPresent()) {
              if (!hit.get().response().text().equals(expected)) {
                violations.add("expected " + expected + " but got " + hit.get().response().text());
              }
            } else {
              cache.store(scope, r, answer(expected), 0.001);
              storesMade.incrementAndGet();
            }
            if (i % 500 == 499) {
              cache.invalidate(scopes.get(1));
            }
          }
          return null;
        });
      }
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> task : tasks) {
        futures.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Void> f : futures) {
        f.get(); // rethrows any exception of a worker
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(violations).isEmpty();
    ResponseCache.Stats stats = cache.stats();
    assertThat(stats.lookups()).isEqualTo(lookups.get()).isEqualTo((long) threads * iterations);
    assertThat(stats.stores()).isEqualTo(storesMade.get());
    assertThat(stats.misses()).isEqualTo(storesMade.get());
    assertThat(stats.exactHits() + stats.semanticHits()).isPositive();
    assertThat(requests("exact_hit") + requests("semantic_hit") + requests("miss")).isEqualTo(threads * iterations);
  }

  @Test
  void theBuilderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> ResponseCache.builder().ttl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> ResponseCache.builder().ttl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> ResponseCache.builder().maximumEntries(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    assertThatThrownBy(() -> ResponseCache.builder().semantic(vectors, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0.0");
    assertThatThrownBy(() -> ResponseCache.builder().semantic(vectors, 1.01))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 1.01");
    assertThatThrownBy(() -> ResponseCache.builder().semantic(vectors, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    ResponseCache cache = builder().build();
    assertThatThrownBy(() -> cache.store(SCOPE, request(PASSWORD), answer("a"), -0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.5");
  }

  @Test
  void aScopeSortsAndCopiesItsGroupsAndNeedsARelease() {
    Set<String> groups = new LinkedHashSet<>(List.of("staff", "admin", "billing"));
    CacheScope scope = new CacheScope("support", "v1", null, groups);
    groups.add("intruder");

    assertThat(scope.accessGroups()).containsExactly("admin", "billing", "staff");
    assertThatThrownBy(() -> scope.accessGroups().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new CacheScope("support", " ", null, Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
    RouteRequest routed = RouteRequest.builder("support", request(PASSWORD)).tenant("acme")
        .accessGroups(Set.of("staff")).build();
    assertThat(CacheScope.of(routed, "v1")).isEqualTo(SCOPE);
  }
}
