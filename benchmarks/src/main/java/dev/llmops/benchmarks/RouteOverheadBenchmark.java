package dev.llmops.benchmarks;

import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.routing.Budget;
import dev.llmops.core.routing.BudgetPeriod;
import dev.llmops.core.routing.Canary;
import dev.llmops.core.routing.CanaryPlan;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.DeploymentStrategy;
import dev.llmops.core.routing.GenerationParameters;
import dev.llmops.core.routing.LimitScope;
import dev.llmops.core.routing.LimitStore;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.RateLimit;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's own cost per call: the model is an in-process {@link ChatModel} that answers at once with a fixed
 * response and {@link TokenUsage} (no sleep, no I/O), so the time of a routed call minus the time of the direct call
 * is what the router adds — build the {@link RouteRequest}, pick the release (sticky by unit) and the deployment,
 * take the rate limits, call, record the outcome for the split's statistics and the feedback cache, settle the token
 * limit, add the spend to the budget, and update the meters.
 *
 * <p>The route: one release of two deployments {@link DeploymentStrategy#IN_ORDER} (the first always answers), a
 * requests-per-minute limit per tenant and a tokens-per-minute limit for the route, both in
 * {@link LimitStore#inMemory()} and far too large ever to refuse, a daily budget without hard stop (too large to
 * alert), no response cache, meters in a {@link SimpleMeterRegistry}, the real clock. Each call is for a unit drawn
 * at random from {@value #UNITS} unit ids, each unit always with the same of {@value #TENANTS} tenants.
 *
 * <ul>
 *   <li>{@link #directCall}: the baseline, the model called directly;</li>
 *   <li>{@link #routedCall}: {@link Router#chat} on that route;</li>
 *   <li>{@link #routedCallDuringCanary}: the same route, on a second router, with a canary of a second release
 *       running at 5% under a plan whose step never completes (its minimum sample count cannot be reached), so the
 *       controller keeps evaluating, every {@link #EVALUATION_INTERVAL} of the real clock, on the thread of the call
 *       that finds the interval passed;</li>
 *   <li>{@link #routedStream}: {@link Router#stream} on the first route; the model streams its answer in
 *       {@value #ANSWER_PIECES} pieces, which the router relays to the caller's listener.</li>
 * </ul>
 *
 * <p>{@value #THREADS} threads call at once (Scope.Benchmark: they share the routers, as a service's request
 * threads do), in sample-time mode, so JMH reports percentiles of single calls. The setup checks that a routed call
 * answers with the model's text from the first deployment at a positive cost, that the stream delivers the whole
 * text, and that the canary takes about 5% of the units; the teardown fails the trial if the canary stopped running
 * (the measurement would then not be of a canary) or the budget alerted.
 *
 * <p>Run it through {@code Benchmarks route-overhead} (see {@link RouteOverhead}); the annotations below are the
 * defaults for a direct JMH run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(RouteOverheadBenchmark.THREADS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RouteOverheadBenchmark {

  /** The calling threads. */
  static final int THREADS = 8;
  /** How many distinct unit ids the calls are spread over. */
  static final int UNITS = 10_000;
  /** How many tenants the units belong to. */
  static final int TENANTS = 50;
  /** The pieces the model streams its answer in. */
  static final int ANSWER_PIECES = 16;
  /** How often the canary controller evaluates. */
  static final Duration EVALUATION_INTERVAL = Duration.ofSeconds(1);
  /** The canary's share of the route, in percent. */
  static final double CANARY_PERCENT = 5;

  static final String ROUTE = "support-bot";
  static final String RELEASE = "support-v7";
  static final String CANDIDATE = "support-v8";
  static final String PRIMARY = "gpt-4o-mini@openai";
  static final String BACKUP = "llama-3.1-8b@vllm";

  static final String ANSWER = "Duplicate payments are refunded to the original card within 5 to 10 business days "
      + "after a billing agent confirms them. I have flagged invoice INV-2026-0311 for review, so you do not need to "
      + "write again; you will get an email as soon as the refund of 480.00 EUR is on its way.";
  static final TokenUsage USAGE = TokenUsage.of(152, 58);

  // Non-final instance fields, read on every call, so the JIT cannot constant-fold the inputs.
  private ChatModel model;
  private ChatRequest request;
  private Router router;
  private Router canaryRouter;
  private Canary canary;
  private String route;
  private final AtomicInteger alerts = new AtomicInteger();

  /** Each thread's unit ids (the same for every thread), its random draw of them and its stream listener. */
  @State(Scope.Thread)
  public static class Caller {
    private static final AtomicLong SEEDS = new AtomicLong(0x5eed);
    private final String[] units = new String[UNITS];
    private final String[] tenants = new String[UNITS];
    private final SplittableRandom random = new SplittableRandom(SEEDS.getAndIncrement());
    private final Sink sink = new Sink();

    /** Fills the unit ids and their tenants. */
    @Setup(Level.Trial)
    public void setUp() {
      for (int i = 0; i < UNITS; i++) {
        units[i] = unit(i);
        tenants[i] = tenant(i);
      }
    }

    /** A routed request for a unit drawn at random, as a service would build it for each incoming call. */
    RouteRequest next(String route, ChatRequest request) {
      int i = random.nextInt(UNITS);
      return RouteRequest.builder(route, request).unit(units[i]).tenant(tenants[i]).build();
    }
  }

  /** The caller's stream listener: counts the characters it receives. */
  static final class Sink implements StreamListener {
    long chars;

    @Override
    public void onToken(String token) {
      chars += token.length();
    }
  }

  /**
   * The model: answers every request at once with the same response and usage, and streams it in
   * {@value #ANSWER_PIECES} pieces. Counts its calls, so the setup can tell which deployment answered.
   */
  static final class FixedModel implements ChatModel {
    private final ChatResponse response;
    private final String[] pieces;
    final AtomicInteger calls = new AtomicInteger();

    FixedModel(String modelId) {
      this.response = new ChatResponse(ANSWER, List.of(), FinishReason.STOP, USAGE, modelId, Duration.ofMillis(1), null,
          null);
      this.pieces = split(ANSWER, ANSWER_PIECES);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      return response;
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
      calls.incrementAndGet();
      for (String piece : pieces) {
        listener.onToken(piece);
      }
      return response;
    }

    private static String[] split(String text, int count) {
      String[] parts = new String[count];
      for (int i = 0; i < count; i++) {
        parts[i] = text.substring(text.length() * i / count, text.length() * (i + 1) / count);
      }
      return parts;
    }
  }

  static String unit(int i) {
    return "user-" + (100_000 + i * 7919);
  }

  static String tenant(int unit) {
    return "tenant-" + (unit % TENANTS);
  }

  /** Builds both routers, starts the canary on the second, and checks that routed calls do the expected work. */
  @Setup(Level.Trial)
  public void setUp() {
    FixedModel primary = new FixedModel("gpt-4o-mini-2024-07-18");
    FixedModel backup = new FixedModel("llama-3.1-8b-instruct");
    model = primary;
    request = ChatRequest.builder()
        .system("You are the customer support assistant for Northwind Traders. Answer in under 150 words.")
        .user("Why was I charged twice for the March invoice, and how do I get the duplicate refunded?")
        .build();
    route = ROUTE;
    router = newRouter(primary, backup);
    canaryRouter = newRouter(primary, backup);
    canary = canaryRouter.startCanary(ROUTE, CANDIDATE, CanaryPlan.builder()
        .step(CANARY_PERCENT, Duration.ZERO, Long.MAX_VALUE) // never enough samples: the step never completes
        .evaluationInterval(EVALUATION_INTERVAL)
        .inconclusiveAfter(Duration.ofDays(365))
        .build(), "bench");

    Caller caller = new Caller();
    caller.setUp();
    int before = primary.calls.get();
    RoutedResponse chat = routedCall(caller);
    check("routed call", chat);
    RoutedResponse stream = routedStream(caller);
    check("routed stream", stream);
    if (caller.sink.chars != ANSWER.length()) {
      throw new IllegalStateException("the routed stream delivered " + caller.sink.chars + " characters of "
          + ANSWER.length());
    }
    if (primary.calls.get() != before + 2 || backup.calls.get() != 0) {
      throw new IllegalStateException("two routed calls reached the primary " + (primary.calls.get() - before)
          + " times and the backup " + backup.calls.get() + " times; expected 2 and 0");
    }
    int canaryCalls = 0;
    for (int i = 0; i < UNITS; i++) {
      RoutedResponse answer = canaryRouter.chat(RouteRequest.builder(ROUTE, request).unit(unit(i)).tenant(tenant(i))
          .build());
      check("routed call during the canary", answer);
      if (answer.release().name().equals(CANDIDATE)) {
        canaryCalls++;
      }
    }
    if (canaryCalls < UNITS * CANARY_PERCENT / 200 || canaryCalls > UNITS * CANARY_PERCENT * 3 / 200) {
      throw new IllegalStateException("the " + CANARY_PERCENT + "% canary took " + canaryCalls + " of " + UNITS
          + " units");
    }
    requireSoundRun();
  }

  private Router newRouter(ChatModel primary, ChatModel backup) {
    GenerationParameters pinned = GenerationParameters.temperature(0.2).withMaxTokens(400);
    return Router.builder()
        .deployment(Deployment.builder(PRIMARY, primary).version("gpt-4o-mini-2024-07-18")
            .prices(PriceTable.of(0.15, 0.60)).build())
        .deployment(Deployment.builder(BACKUP, backup).version("llama-3.1-8b-instruct-q4").build())
        .release(Release.builder(RELEASE).deployments(PRIMARY, BACKUP).strategy(DeploymentStrategy.IN_ORDER)
            .prompt("support-answer@7").parameters(pinned).build())
        .release(Release.builder(CANDIDATE).deployments(PRIMARY, BACKUP).strategy(DeploymentStrategy.IN_ORDER)
            .prompt("support-answer@8").parameters(pinned).build())
        .route(Route.builder(ROUTE)
            .release(RELEASE, 1)
            .limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 1_000_000_000_000L))
            .limit(RateLimit.tokensPerMinute(LimitScope.ROUTE, 1_000_000_000_000_000L))
            .budget(new Budget(LimitScope.ROUTE, BudgetPeriod.DAY, 1e12, List.of(0.5, 0.8, 1.0), false))
            .cache(false)
            .build())
        .limitStore(LimitStore.inMemory())
        .budgetListener(alert -> alerts.incrementAndGet())
        .meterRegistry(new SimpleMeterRegistry())
        .build();
  }

  private static void check(String what, RoutedResponse answer) {
    if (!answer.text().equals(ANSWER) || !answer.deployment().equals(PRIMARY) || !(answer.cost() > 0)
        || answer.cached() || answer.usageEstimated()) {
      throw new IllegalStateException(what + " did not get the primary's uncached answer at a positive cost: "
          + answer.deployment() + ", cost " + answer.cost() + ", cache " + answer.cacheHit() + ", text " + answer.text());
    }
  }

  private void requireSoundRun() {
    if (alerts.get() != 0) {
      throw new IllegalStateException("the budget, meant to be too large to alert, alerted " + alerts.get() + " times");
    }
    if (canary.state() != CanaryState.RUNNING || canary.percent() != CANARY_PERCENT) {
      throw new IllegalStateException("the canary is " + canary.state() + " at " + canary.percent() + "%, not running at "
          + CANARY_PERCENT + "%: " + canary.events());
    }
  }

  /** Fails the trial if the canary stopped running or a budget alerted, then closes the routers. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      requireSoundRun();
    } finally {
      router.close();
      canaryRouter.close();
    }
  }

  /** The baseline: the model called directly. */
  @Benchmark
  public ChatResponse directCall() {
    return model.chat(request);
  }

  /** A call through the router, for a unit drawn at random. */
  @Benchmark
  public RoutedResponse routedCall(Caller caller) {
    return router.chat(caller.next(route, request));
  }

  /** A call through the router while a canary runs on the route and its controller evaluates every second. */
  @Benchmark
  public RoutedResponse routedCallDuringCanary(Caller caller) {
    return canaryRouter.chat(caller.next(route, request));
  }

  /** A streamed call through the router; the pieces go to the caller's listener. */
  @Benchmark
  public RoutedResponse routedStream(Caller caller) {
    return router.stream(caller.next(route, request), caller.sink);
  }
}
