package dev.llmops.core.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.llmops.core.CancelledException;
import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.RetriableException;
import dev.llmops.core.Ticker;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.internal.Buckets;
import dev.llmops.core.internal.routing.Allocation;
import dev.llmops.core.internal.routing.ArmStats;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each call on a route to a release and a deployment, and keeps the route healthy: retries with backoff that
 * honour Retry-After, failover across a release's deployments and fallbacks by error class, streaming-safe
 * failover (only before the first token), circuit breaking per deployment, rate limits and budgets (shared between
 * instances through a {@link LimitStore}), a response cache, canary releases with automatic rollback, A/B
 * experiments, and deployment lifecycle.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o-mini", openAi.chatModel("gpt-4o-mini")).prices(PriceTable.of(0.15, 0.6)).build())
 *     .deployment(Deployment.builder("llama-8b", local).build())
 *     .release(Release.builder("support-v7").deployments("gpt-4o-mini", "llama-8b").prompt("support-answer@7").build())
 *     .route(Route.builder("support-bot").release("support-v7", 1).build())
 *     .build();
 * RoutedResponse answer = router.chat(RouteRequest.builder("support-bot", request).unit(userId).tenant("acme").build());
 * }</pre>
 *
 * <p>Thread-safe. Routing state (splits, canaries, experiments, circuits) lives in this instance; limits and budgets
 * live in the {@link LimitStore}, so instances sharing a PostgreSQL store share them. Time comes from the injected
 * {@link Clock} (windows, limits, cooldowns) and {@link Ticker} (latency); if the clock steps back, the router keeps
 * using the latest time it has seen and logs a warning, so a clock change never drops traffic.
 */
public final class Router implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);
  private static final double EWMA_WEIGHT = 0.2;

  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final LimitStore limitStore;
  private final BudgetListener budgetListener;
  private final RouterListener listener;
  private final @Nullable ResponseCache cache;
  private final CircuitBreakerSettings defaultBreaker;
  private final MeterRegistry meters;
  private final @Nullable SplittableRandom seededRandom;
  private final Map<String, DeploymentState> deployments = new ConcurrentHashMap<>();
  private final Map<String, Release> releases = new ConcurrentHashMap<>();
  private final Map<String, RouteState> routes = new ConcurrentHashMap<>();
  private final Map<String, ExperimentRun> experiments = new ConcurrentHashMap<>();
  private final Cache<String, ArmStats> feedback;
  private final AtomicReference<Instant> latest = new AtomicReference<>(Instant.MIN);
  private final AtomicLong lastClockWarning = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong requestIds = new AtomicLong();
  private final String instanceId;
  private final Object structure = new Object();

  private Router(Builder b) {
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.sleeper = b.sleeper;
    this.limitStore = b.limitStore;
    this.budgetListener = b.budgetListener;
    this.listener = b.listener;
    this.cache = b.cache;
    this.defaultBreaker = b.circuitBreaker;
    this.meters = b.meterRegistry;
    this.seededRandom = b.seed == null ? null : new SplittableRandom(b.seed);
    this.instanceId = Long.toString(b.seed == null ? new SplittableRandom().nextLong() & 0xffffffL : b.seed & 0xffffffL, 36);
    this.feedback = Caffeine.newBuilder().maximumSize(b.feedbackCapacity)
        .expireAfterWrite(b.feedbackRetention).ticker(ticker::read).build();
    for (Deployment d : b.deployments.values()) {
      addDeployment(d);
    }
    for (Release r : b.releases.values()) {
      addRelease(r);
    }
    for (Route r : b.routes.values()) {
      addRoute(r);
    }
  }

  /** Starts a router. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------- calls

  /**
   * Answers a call on its route: picks the release (sticky by unit), applies the release's parameters, serves from
   * the cache or calls the release's deployments with retries and failover, then the route's fallbacks.
   *
   * @throws NotFoundException for an unknown route
   * @throws RateLimitedException when a rate limit refuses the call (with the wait in {@code retryAfter()})
   * @throws QuotaExceededException when a budget with a hard stop is spent
   * @throws NoHealthyDeploymentException when no deployment could take the call
   * @throws LlmOpsException the last deployment's failure when every try failed
   */
  public RoutedResponse chat(RouteRequest request) {
    return execute(request, null, null);
  }

  /**
   * Like {@link #chat(RouteRequest)} but streams the answer's tokens to {@code listener} on this thread. Failover
   * (retries, other deployments, fallbacks) happens only before the first token reaches the listener; a failure
   * after that is a {@link MidStreamException}. A cached answer arrives as one token.
   */
  public RoutedResponse stream(RouteRequest request, StreamListener listener) {
    return execute(request, Objects.requireNonNull(listener, "listener"), null);
  }

  /**
   * Answers a call with one named release, whatever the route's split, canary or experiment says: for evaluations,
   * shadow tests and replays of a release before (or after) it takes traffic. Everything else is as in
   * {@link #chat(RouteRequest)} — the route's limits, budgets, cache, retries and fallbacks apply — but the call
   * feeds no split's statistics and its {@link RoutedResponse#arm()} is {@code "pinned"}.
   *
   * @throws NotFoundException for an unknown route or release
   */
  public RoutedResponse chatWithRelease(String release, RouteRequest request) {
    return execute(request, null, release(release));
  }

  /**
   * A {@link ChatModel} view of one route, for code that takes a model: each call goes through the router with no
   * unit, tenant or key.
   */
  public ChatModel chatModel(String route) {
    route(route); // fail now for an unknown route
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        return Router.this.chat(RouteRequest.of(route, request)).response();
      }

      @Override
      public ChatResponse stream(ChatRequest request, StreamListener listener) {
        return Router.this.stream(RouteRequest.of(route, request), listener).response();
      }
    };
  }

  /**
   * Reports whether an output guard blocked the answer of {@code requestId}, for the canary and experiment metrics.
   *
   * @return whether the call was known (calls are remembered for the builder's feedback retention)
   */
  public boolean recordGuardOutcome(String requestId, boolean blocked) {
    ArmStats stats = feedback.getIfPresent(requestId);
    if (stats == null) {
      return false;
    }
    stats.recordGuard(blocked);
    return true;
  }

  /**
   * Reports a quality score (higher is better, such as the grounded fraction) for the answer of {@code requestId}.
   *
   * @return whether the call was known
   * @throws InvalidRequestException for a score that is not a finite number
   */
  public boolean recordQuality(String requestId, double score) {
    if (!Double.isFinite(score)) {
      throw new InvalidRequestException("a quality score must be a finite number but was " + score);
    }
    ArmStats stats = feedback.getIfPresent(requestId);
    if (stats == null) {
      return false;
    }
    stats.recordQuality(score);
    return true;
  }

  private RoutedResponse execute(RouteRequest request, @Nullable StreamListener streamListener,
      @Nullable Release pinned) {
    long started = ticker.read();
    RouteState state = route(request.route());
    Route route = state.route;
    Instant now = now();
    state.requests.incrementAndGet();
    String requestId = instanceId + "-" + Long.toString(requestIds.incrementAndGet(), 36);
    checkBudgets(route, request, now);
    List<Taken> taken = acquireLimits(route, request, now);
    CallOutcome outcome = new CallOutcome();
    try {
      return call(request, streamListener, pinned, started, state, route, now, requestId, taken, outcome);
    } catch (RuntimeException | Error e) {
      if (!outcome.settled) {
        if (outcome.modelCalled) {
          settleLimits(taken, 0, now); // the call reached a model: the request counts, unused tokens go back
        } else {
          releaseLimits(taken, now); // refused before any model call: as if it had never come
        }
      }
      throw e;
    }
  }

  private RoutedResponse call(RouteRequest request, @Nullable StreamListener streamListener, @Nullable Release pinned,
      long started, RouteState state, Route route, Instant now, String requestId, List<Taken> taken,
      CallOutcome outcome) {
    Allocation allocation = pinned == null ? state.allocation : pinnedAllocation(pinned);
    Allocation.Arm arm = allocation.assign(request.unitId(), this::randomBucket);
    Release release = release(arm.release());
    if ("experiment".equals(allocation.kind())) {
      ExperimentRun run = experiments.get(state.experiment == null ? "" : state.experiment);
      if (run != null) {
        notify(() -> listener.onExposure(new Exposure(run.experiment.name(), arm.release(), request.unitId(), requestId, now)));
      }
    }
    ChatRequest chatRequest = release.parameters().applyTo(request.request());
    String armLabel = "experiment".equals(allocation.kind()) ? arm.release() : arm.label();

    CacheScope scope = null;
    if (cache != null && route.cache() && request.cacheable() && cache.isCacheable(chatRequest)) {
      scope = CacheScope.of(request, release.name());
      Optional<ResponseCache.Hit> hit = cache.lookup(scope, chatRequest);
      if (hit.isPresent()) {
        ChatResponse response = hit.get().response();
        if (streamListener != null && !response.text().isEmpty()) {
          streamListener.onToken(response.text());
        }
        outcome.settled = true;
        bestEffort("returning the tokens of a cached call", () -> settleLimits(taken, 0, now));
        count(route.name(), release.name(), "cache", "cached");
        Duration took = Duration.ofNanos(ticker.read() - started);
        notify(() -> listener.onCall(new CallRecord(requestId, now, route.name(), release, request.tenant(),
            request.unitId(), armLabel, CallRecord.Outcome.CACHED, null, null, response, null, 0, 0, took, 0, false)));
        return new RoutedResponse(requestId, response, route.name(), release, armLabel, "cache", "cache", List.of(), 0,
            false, hit.get().semantic() ? "semantic" : "exact", took);
      }
    }

    try {
      tryDeployments(route, release, release.deployments(), order(release, chatRequest), true, chatRequest,
          streamListener, outcome);
      if (outcome.response == null && outcome.lastClass != null && !outcome.midStream) {
        List<String> fallbacks = route.fallbacksFor(outcome.lastClass);
        if (!fallbacks.isEmpty()) {
          tryDeployments(route, release, fallbacks, fallbacks, false, chatRequest, streamListener, outcome);
        }
      }
    } finally {
      arm.stats().recordTries(outcome.armTries, outcome.armFailures);
      arm.stats().recordCall();
    }
    Duration latency = Duration.ofNanos(ticker.read() - started);
    if (outcome.response == null) {
      outcome.settled = true;
      bestEffort("returning the tokens of a failed call", () -> settleLimits(taken, 0, now));
      count(route.name(), release.name(), outcome.lastDeployment == null ? "none" : outcome.lastDeployment, "failed");
      LlmOpsException failure = failure(route, release, outcome);
      notify(() -> listener.onCall(new CallRecord(requestId, now, route.name(), release, request.tenant(),
          request.unitId(), armLabel, CallRecord.Outcome.FAILED, outcome.lastDeployment, null, null,
          outcome.lastClass == null ? ErrorClass.of(failure) : outcome.lastClass, outcome.armTries, outcome.armFailures,
          latency, 0, false)));
      afterCall(state, now);
      throw failure;
    }
    ChatResponse response = outcome.response;
    DeploymentState answering = deployments.get(outcome.answeredBy);
    TokenUsage usage = response.usage();
    boolean estimated = usage == null;
    if (usage == null) {
      usage = TokenUsage.of(estimateTokens(chatRequest), Math.max(1, response.text().length() / 4));
    }
    double cost = answering.deployment.prices().cost(usage);
    arm.stats().recordAnswer(latency.toNanos() / 1e6, cost);
    feedback.put(requestId, arm.stats());
    // The answer is paid for: nothing after this point may lose it (a limit store that is down is logged, not thrown).
    outcome.settled = true;
    int used = usage.totalTokens();
    bestEffort("settling token limits", () -> settleLimits(taken, used, now));
    bestEffort("adding the call's cost to the budgets", () -> addSpend(route, request, cost, now));
    if (scope != null && cache != null) {
      CacheScope cacheScope = scope;
      bestEffort("storing the answer in the cache", () -> cache.store(cacheScope, chatRequest, response, cost));
    }
    count(route.name(), release.name(), outcome.answeredBy, "answered");
    Timer.builder("llmops.router.latency").description("Routed call latency, retries and waits included")
        .tag("route", route.name()).tag("deployment", outcome.answeredBy).register(meters).record(latency);
    Counter.builder("llmops.router.cost").description("Cost of routed calls, by price table")
        .tag("route", route.name()).tag("deployment", outcome.answeredBy).register(meters).increment(cost);
    String answeredBy = outcome.answeredBy;
    notify(() -> listener.onCall(new CallRecord(requestId, now, route.name(), release, request.tenant(),
        request.unitId(), armLabel, CallRecord.Outcome.ANSWERED, answeredBy, answering.deployment.version(), response,
        null, outcome.armTries, outcome.armFailures, latency, cost, estimated)));
    afterCall(state, now);
    return new RoutedResponse(requestId, response, route.name(), release, armLabel, outcome.answeredBy,
        answering.deployment.version(), outcome.attempts, cost, estimated, "none", latency);
  }

  private static Allocation pinnedAllocation(Release release) {
    return Allocation.of("pinned/" + release.name(), "pinned", List.of("pinned"), List.of(release.name()), new double[] {1});
  }

  private void afterCall(RouteState state, Instant now) {
    Canary canary = state.canary;
    if (canary != null) {
      canary.maybeEvaluate(now);
    }
  }

  private LlmOpsException failure(Route route, Release release, CallOutcome outcome) {
    if (outcome.lastFailure != null) {
      return outcome.lastFailure;
    }
    StringBuilder states = new StringBuilder();
    Duration soonest = null;
    for (Attempt a : outcome.attempts) {
      if (states.length() > 0) {
        states.append("; ");
      }
      states.append(a.deployment()).append(": ").append(a.detail());
    }
    for (String name : release.deployments()) {
      DeploymentState d = deployments.get(name);
      Duration wait = d.cooldownLeft(now());
      if (wait != null && (soonest == null || wait.compareTo(soonest) < 0)) {
        soonest = wait;
      }
    }
    return new NoHealthyDeploymentException("route '" + route.name() + "' has no healthy deployment for release '"
        + release.name() + "': " + (states.length() == 0 ? "none could be tried" : states), soonest);
  }

  /** Tries {@code order} in turn until one answers; fills {@code outcome}. */
  private void tryDeployments(Route route, Release release, List<String> declared, List<String> order,
      boolean inRelease, ChatRequest request, @Nullable StreamListener streamListener, CallOutcome outcome) {
    RetryPolicy retry = route.retry();
    for (String name : order) {
      DeploymentState d = deployments.get(name);
      if (d == null) {
        throw new NotFoundException("route '" + route.name() + "' falls back to unknown deployment '" + name + "'");
      }
      if (d.stage == LifecycleStage.RETIRED) {
        outcome.skip(name, "retired");
        continue;
      }
      d.warnIfDeprecated(route.name());
      Duration backoff = Duration.ZERO;
      for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
        if (!d.breaker.tryAcquirePermission()) {
          Duration left = d.cooldownLeft(now());
          outcome.skip(name, "circuit open" + (left == null ? "" : ", cooling down for " + left.toMillis() + " ms more"));
          break;
        }
        if (!d.enter()) {
          d.breaker.releasePermission();
          outcome.skip(name, "at its concurrency limit of " + d.deployment.maxConcurrency());
          break;
        }
        long t0 = ticker.read();
        Relay relay = streamListener == null ? null : new Relay(streamListener);
        boolean inside = true;
        outcome.modelCalled = true;
        try {
          ChatResponse response = relay == null ? d.deployment.model().chat(request)
              : d.deployment.model().stream(request, relay);
          long took = ticker.read() - t0;
          d.breaker.onSuccess(took, TimeUnit.NANOSECONDS);
          d.observeLatency(took);
          if (inRelease) {
            outcome.armTries++;
          }
          outcome.attempts.add(new Attempt(name, Attempt.Outcome.SUCCEEDED, null, null, backoff, Duration.ofNanos(took)));
          outcome.response = response;
          outcome.answeredBy = name;
          return;
        } catch (Error e) {
          d.breaker.onError(ticker.read() - t0, TimeUnit.NANOSECONDS, e); // never leak a (half-open) permit
          throw e;
        } catch (RuntimeException e) {
          long took = ticker.read() - t0;
          if (relay != null && relay.callerFailure == e) {
            // The caller's own listener threw (say, its client went away): not the deployment's fault.
            d.breaker.releasePermission();
            throw e;
          }
          ErrorClass cls = ErrorClass.of(e);
          if (cls.countsAgainstDeployment()) {
            d.breaker.onError(took, TimeUnit.NANOSECONDS, e);
            if (inRelease) {
              outcome.armTries++;
              outcome.armFailures++;
            }
          } else {
            d.breaker.releasePermission();
          }
          Counter.builder("llmops.router.failures").description("Failed tries of deployments, by error class")
              .tag("deployment", name).tag("class", cls.name().toLowerCase(java.util.Locale.ROOT)).register(meters)
              .increment();
          outcome.attempts.add(new Attempt(name, Attempt.Outcome.FAILED, cls, e.getMessage(), backoff, Duration.ofNanos(took)));
          LlmOpsException failure = e instanceof LlmOpsException ? (LlmOpsException) e
              : new UnavailableException("deployment '" + name + "' failed: " + e, null, e);
          outcome.lastFailure = failure;
          outcome.lastClass = cls;
          outcome.lastDeployment = name;
          if (relay != null && relay.delivered > 0) {
            outcome.midStream = true;
            outcome.lastFailure = new MidStreamException(name, relay.delivered, relay.text.toString(), e);
            return;
          }
          if (cls == ErrorClass.CANCELLED || cls == ErrorClass.INVALID_REQUEST) {
            outcome.midStream = true; // nothing else may be tried
            return;
          }
          if (!cls.isRetriable()) {
            if (cls == ErrorClass.DEPLOYMENT_REFUSED) {
              break; // the next deployment may take it
            }
            return; // context too long, content policy: same model, same answer; the route's fallbacks decide
          }
          if (attempt == retry.maxAttempts()) {
            break;
          }
          Duration serverDelay = e instanceof RetriableException ? ((RetriableException) e).retryAfter().orElse(null) : null;
          if (serverDelay != null && serverDelay.compareTo(retry.maxRetryAfter()) > 0) {
            break; // the deployment asked for a longer pause than the caller should wait: move on
          }
          backoff = serverDelay != null ? serverDelay : retry.backoff(attempt, random());
          d.exit(); // waiting holds no concurrency slot: other calls may use the deployment meanwhile
          inside = false;
          try {
            sleeper.sleep(backoff);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            outcome.lastFailure = new CancelledException("interrupted while waiting to retry deployment '" + name + "'", interrupted);
            outcome.midStream = true;
            return;
          }
        } finally {
          if (inside) {
            d.exit();
          }
        }
      }
    }
  }

  private List<String> order(Release release, ChatRequest request) {
    List<String> names = new ArrayList<>(release.deployments());
    switch (release.strategy()) {
      case IN_ORDER:
        break;
      case LEAST_LATENCY:
        names.sort(Comparator.comparingDouble(n -> {
          double ewma = deployments.get(n).ewmaNanos();
          return Double.isNaN(ewma) ? -1 : ewma;
        }));
        break;
      case LEAST_BUSY:
        names.sort(Comparator.comparingInt(n -> deployments.get(n).inFlight.get()));
        break;
      case CHEAPEST:
        int input = estimateTokens(request);
        int output = request.maxTokens() == null ? 256 : request.maxTokens();
        names.sort(Comparator.comparingDouble(n -> deployments.get(n).deployment.prices().cost(TokenUsage.of(input, output))));
        break;
      case SHUFFLE:
        for (int i = names.size() - 1; i > 0; i--) {
          Collections.swap(names, i, (int) (random() * (i + 1)));
        }
        break;
      default:
        throw new IllegalStateException("unknown strategy " + release.strategy());
    }
    return names;
  }

  /** The input tokens of a request, estimated at four characters per token. */
  static int estimateTokens(ChatRequest request) {
    long chars = 0;
    for (ChatMessage m : request.messages()) {
      chars += m.text().length() + 4;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, chars / 4));
  }

  // -------------------------------------------------------------------------------------- limits and budgets

  private record Taken(String key, RateLimit limit, double amount) {}

  private List<Taken> acquireLimits(Route route, RouteRequest request, Instant now) {
    List<Taken> taken = new ArrayList<>();
    for (RateLimit limit : route.limits()) {
      String key = "rate/" + route.name() + "/" + scopeValue(limit.scope(), route, request) + "/"
          + limit.unit().name().toLowerCase(java.util.Locale.ROOT);
      double amount = limit.unit() == LimitUnit.REQUESTS ? 1
          : Math.min(limit.amount(), estimateTokens(request.request()));
      LimitStore.Acquisition got = limitStore.tryAcquire(key, limit.amount(), limit.refillPerSecond(), amount, now);
      if (!got.granted()) {
        releaseLimits(taken, now);
        Counter.builder("llmops.router.limited").description("Calls refused by a rate limit or budget")
            .tag("route", route.name()).tag("limit", limit.unit().name().toLowerCase(java.util.Locale.ROOT)).register(meters)
            .increment();
        throw new RateLimitedException("route '" + route.name() + "' is over its limit of " + limit.amount() + " "
            + limit.unit().name().toLowerCase(java.util.Locale.ROOT) + " per " + limit.per() + " per "
            + limit.scope().name().toLowerCase(java.util.Locale.ROOT) + "; retry in " + got.retryAfter().toMillis() + " ms",
            got.retryAfter(), null);
      }
      taken.add(new Taken(key, limit, amount));
    }
    return taken;
  }

  /** Gives back everything taken (requests and tokens): for a call refused before any model was called. */
  private void releaseLimits(List<Taken> taken, Instant now) {
    for (Taken t : taken) {
      try {
        limitStore.settle(t.key, t.limit.amount(), t.limit.refillPerSecond(), -t.amount, now);
      } catch (RuntimeException e) {
        LOG.warn("Could not give back {} of limit '{}' after a refused call; it refills on its own", t.amount, t.key, e);
      }
    }
  }

  private static void bestEffort(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.warn("Router: {} failed after the call completed; the caller still gets the outcome", what, e);
    }
  }

  /** Settles token buckets with the tokens the call really used (0 returns what was taken for a call that failed). */
  private void settleLimits(List<Taken> taken, int tokensUsed, Instant now) {
    for (Taken t : taken) {
      if (t.limit.unit() == LimitUnit.TOKENS) {
        limitStore.settle(t.key, t.limit.amount(), t.limit.refillPerSecond(), tokensUsed - t.amount, now);
      }
    }
  }

  private void checkBudgets(Route route, RouteRequest request, Instant now) {
    for (Budget budget : route.budgets()) {
      if (!budget.hardStop()) {
        continue;
      }
      String value = scopeValue(budget.scope(), route, request);
      double spent = limitStore.spent(budgetKey(route, budget, value), budget.period().start(now));
      if (spent >= budget.limit()) {
        Counter.builder("llmops.router.limited").tag("route", route.name()).tag("limit", "budget").register(meters).increment();
        throw new QuotaExceededException("route '" + route.name() + "' has spent " + String.format(java.util.Locale.ROOT, "%.4f", spent)
            + " of its " + budget.period().name().toLowerCase(java.util.Locale.ROOT) + " budget of " + budget.limit()
            + " for " + budget.scope().name().toLowerCase(java.util.Locale.ROOT) + " " + value
            + "; it resets at the start of the next " + budget.period().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
  }

  private void addSpend(Route route, RouteRequest request, double cost, Instant now) {
    if (cost <= 0) {
      return;
    }
    for (Budget budget : route.budgets()) {
      String value = scopeValue(budget.scope(), route, request);
      Instant period = budget.period().start(now);
      LimitStore.SpendChange change = limitStore.addSpend(budgetKey(route, budget, value), period, cost);
      for (double fraction : budget.alertAt()) {
        double line = fraction * budget.limit();
        if (change.before() < line && change.after() >= line) {
          BudgetAlert alert = new BudgetAlert(route.name(), budget, value, period, fraction, change.after(), now);
          notify(() -> budgetListener.onAlert(alert));
        }
      }
    }
  }

  private static String budgetKey(Route route, Budget budget, String value) {
    return "budget/" + route.name() + "/" + budget.scope().name().toLowerCase(java.util.Locale.ROOT) + "/" + value + "/"
        + budget.period().name().toLowerCase(java.util.Locale.ROOT) + "/" + budget.limit();
  }

  private static String scopeValue(LimitScope scope, Route route, RouteRequest request) {
    switch (scope) {
      case ROUTE:
        return route.name();
      case TENANT:
        return request.tenant() == null ? "-" : request.tenant();
      case API_KEY:
        return request.apiKey() == null ? "-" : "key:" + sha256(request.apiKey()).substring(0, 24);
      default:
        throw new IllegalStateException("unknown scope " + scope);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  // ------------------------------------------------------------------------------------ structure and state

  /**
   * Adds a deployment.
   *
   * @throws ConflictException when another deployment has that name
   */
  public void addDeployment(Deployment deployment) {
    DeploymentState state = new DeploymentState(deployment);
    if (deployments.putIfAbsent(deployment.name(), state) != null) {
      throw new ConflictException("a deployment named '" + deployment.name() + "' already exists");
    }
  }

  /**
   * Adds a release. Adding the same release again is allowed and changes nothing; releases are immutable, so a
   * different release under a taken name is refused.
   *
   * @throws NotFoundException when it names an unknown deployment
   * @throws ConflictException when another release has that name
   */
  public void addRelease(Release release) {
    for (String d : release.deployments()) {
      DeploymentState state = deployments.get(d);
      if (state == null) {
        throw new NotFoundException("release '" + release.name() + "' names unknown deployment '" + d + "'; known: "
            + new java.util.TreeSet<>(deployments.keySet()));
      }
      if (state.stage == LifecycleStage.RETIRED) {
        throw new ConflictException("release '" + release.name() + "' names retired deployment '" + d + "'");
      }
    }
    Release existing = releases.putIfAbsent(release.name(), release);
    if (existing != null && !existing.equals(release)) {
      throw new ConflictException("release '" + release.name() + "' already exists with other contents; releases are "
          + "immutable, so give the new one a new name");
    }
  }

  /**
   * Adds a route.
   *
   * @throws NotFoundException when it names an unknown release or fallback deployment
   * @throws ConflictException when another route has that name
   */
  public void addRoute(Route route) {
    synchronized (structure) {
      checkRoute(route);
      if (routes.containsKey(route.name())) {
        throw new ConflictException("a route named '" + route.name() + "' already exists");
      }
      routes.put(route.name(), new RouteState(route, splitAllocation(route.name(), route.splits())));
    }
  }

  private void checkRoute(Route route) {
    for (Split s : route.splits()) {
      release(s.release());
    }
    route.fallbacks().values().forEach(list -> list.forEach(d -> {
      if (!deployments.containsKey(d)) {
        throw new NotFoundException("route '" + route.name() + "' falls back to unknown deployment '" + d + "'");
      }
    }));
  }

  /**
   * Changes a route's splits. Units keep their buckets; moving weight between two neighbouring releases moves units
   * only between those two.
   *
   * @throws ConflictException while a canary or experiment runs on the route
   */
  public void updateSplits(String routeName, List<Split> splits) {
    synchronized (structure) {
      RouteState state = route(routeName);
      if (state.canary != null || state.experiment != null) {
        throw new ConflictException("route '" + routeName + "' is running " + (state.canary != null
            ? "a canary of '" + state.canary.candidate() + "'" : "experiment '" + state.experiment + "'")
            + "; finish it before changing the splits");
      }
      Route changed = new Route(routeName, splits, state.route.retry(), state.route.fallbacks(), state.route.limits(),
          state.route.budgets(), state.route.cache());
      checkRoute(changed);
      state.route = changed;
      state.allocation = splitAllocation(routeName, changed.splits());
    }
  }

  /** The route's current traffic split: releases and their shares in percent, as calls are assigned now. */
  public Map<String, Double> currentSplit(String routeName) {
    Map<String, Double> split = new LinkedHashMap<>();
    for (Allocation.Arm arm : route(routeName).allocation.arms()) {
      split.merge(arm.release(), arm.percent(), Double::sum);
    }
    return split;
  }

  /** The release named {@code name}. @throws NotFoundException when there is none */
  public Release release(String name) {
    Release r = releases.get(name);
    if (r == null) {
      throw new NotFoundException("unknown release '" + name + "'; known: " + new java.util.TreeSet<>(releases.keySet()));
    }
    return r;
  }

  /** The route's configuration. @throws NotFoundException when there is none */
  public Route routeConfiguration(String name) {
    return route(name).route;
  }

  private RouteState route(String name) {
    RouteState state = routes.get(name);
    if (state == null) {
      throw new NotFoundException("unknown route '" + name + "'; known: " + new java.util.TreeSet<>(routes.keySet()));
    }
    return state;
  }

  private Allocation splitAllocation(String route, List<Split> splits) {
    List<String> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    double[] weights = new double[splits.size()];
    for (int i = 0; i < splits.size(); i++) {
      labels.add("route");
      names.add(splits.get(i).release());
      weights[i] = splits.get(i).weight();
    }
    return Allocation.of("route/" + route, "route", labels, names, weights);
  }

  // ------------------------------------------------------------------------------------------- lifecycle

  /** The deployment's lifecycle stage. @throws NotFoundException for an unknown deployment */
  public LifecycleStage stage(String deployment) {
    return deploymentState(deployment).stage;
  }

  /**
   * Moves a deployment to another lifecycle stage.
   *
   * @throws ConflictException for a move the lifecycle does not allow, or retiring a deployment a route still uses
   *     (the message names the routes)
   */
  public void moveDeployment(String deployment, LifecycleStage to) {
    synchronized (structure) {
      DeploymentState state = deploymentState(deployment);
      if (!state.stage.canMoveTo(to)) {
        throw new ConflictException("deployment '" + deployment + "' cannot move from " + state.stage + " to " + to);
      }
      if (to == LifecycleStage.RETIRED) {
        List<String> users = routesUsing(deployment);
        if (!users.isEmpty()) {
          throw new ConflictException("deployment '" + deployment + "' cannot be retired: route(s) " + users
              + " still use it; move them to releases without it first");
        }
      }
      LOG.info("Deployment '{}' moves from {} to {}", deployment, state.stage, to);
      state.stage = to;
      state.warnedRoutes.clear();
    }
  }

  private List<String> routesUsing(String deployment) {
    List<String> users = new ArrayList<>();
    for (RouteState rs : routes.values()) {
      boolean uses = rs.route.fallbacks().values().stream().anyMatch(l -> l.contains(deployment));
      for (Allocation.Arm arm : rs.allocation.arms()) {
        uses |= release(arm.release()).deployments().contains(deployment);
      }
      for (Split s : rs.route.splits()) {
        uses |= release(s.release()).deployments().contains(deployment);
      }
      if (uses) {
        users.add(rs.route.name());
      }
    }
    Collections.sort(users);
    return users;
  }

  private DeploymentState deploymentState(String name) {
    DeploymentState d = deployments.get(name);
    if (d == null) {
      throw new NotFoundException("unknown deployment '" + name + "'; known: " + new java.util.TreeSet<>(deployments.keySet()));
    }
    return d;
  }

  /** The circuit state of a deployment: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}. */
  public String circuitState(String deployment) {
    return deploymentState(deployment).breaker.getState().name();
  }

  // ------------------------------------------------------------------------------------------- canaries

  /**
   * Starts a canary of {@code candidate} on a route that sends all of its traffic to one release (the baseline).
   *
   * @throws ConflictException when the route splits traffic, or already runs a canary or an experiment
   * @throws NotFoundException for an unknown route or release
   */
  public Canary startCanary(String routeName, String candidate, CanaryPlan plan, String actor) {
    synchronized (structure) {
      RouteState state = route(routeName);
      release(candidate);
      if (state.canary != null) {
        throw new ConflictException("route '" + routeName + "' already runs a canary of '" + state.canary.candidate()
            + "'; finish, roll back or abort it first");
      }
      if (state.experiment != null) {
        throw new ConflictException("route '" + routeName + "' runs experiment '" + state.experiment
            + "'; a canary and an experiment cannot share a route");
      }
      if (state.route.splits().size() != 1) {
        throw new ConflictException("route '" + routeName + "' splits its traffic between " + state.route.splits().size()
            + " releases; a canary needs one baseline release");
      }
      String baseline = state.route.splits().get(0).release();
      if (baseline.equals(candidate)) {
        throw new ConflictException("release '" + candidate + "' already serves route '" + routeName + "'");
      }
      Canary canary = new Canary(this, routeName, baseline, candidate, plan, now(), state.requests.get(), actor);
      state.canary = canary;
      return canary;
    }
  }

  /** The canary running (or paused) on the route, if any. */
  public Optional<Canary> canary(String routeName) {
    return Optional.ofNullable(route(routeName).canary);
  }

  /** Applies a canary's split (package-private: the canary drives it). */
  void applyCanarySplit(String routeName, String baseline, String candidate, int canaryBasisPoints) {
    RouteState state = route(routeName);
    state.allocation = Allocation.of("canary/" + routeName + "/" + candidate, "canary", List.of("canary", "baseline"),
        List.of(candidate, baseline), new double[] {canaryBasisPoints, Buckets.COUNT - canaryBasisPoints});
  }

  /** Ends a canary: the route sends everything to {@code winner}. */
  void finishCanary(String routeName, Canary canary, String winner) {
    synchronized (structure) {
      RouteState state = route(routeName);
      if (state.canary == canary) {
        Route r = state.route;
        state.route = new Route(r.name(), List.of(new Split(winner, 1)), r.retry(), r.fallbacks(), r.limits(), r.budgets(), r.cache());
        state.allocation = splitAllocation(routeName, state.route.splits());
        state.canary = null;
      }
    }
  }

  @Nullable Allocation allocation(String routeName) {
    return route(routeName).allocation;
  }

  long requestCount(String routeName) {
    return route(routeName).requests.get();
  }

  void publish(CanaryEvent event) {
    LOG.info("Canary of '{}' on route '{}': {} at step {} ({}% -> {}%){}: {}", event.candidate(), event.route(),
        event.action(), event.step(), event.fromPercent(), event.toPercent(), event.dryRun() ? " [dry run]" : "",
        event.reason());
    notify(() -> listener.onCanaryEvent(event));
  }

  // ------------------------------------------------------------------------------------------ experiments

  /**
   * Starts an A/B experiment: its arms replace the route's splits until it stops.
   *
   * @throws ConflictException when the route runs a canary or another experiment, or the name is taken
   */
  public void startExperiment(Experiment experiment) {
    synchronized (structure) {
      RouteState state = route(experiment.route());
      for (Split arm : experiment.arms()) {
        release(arm.release());
      }
      if (state.canary != null || state.experiment != null) {
        throw new ConflictException("route '" + experiment.route() + "' already runs " + (state.canary != null
            ? "a canary of '" + state.canary.candidate() + "'" : "experiment '" + state.experiment + "'"));
      }
      if (experiments.containsKey(experiment.name())) {
        throw new ConflictException("an experiment named '" + experiment.name() + "' already ran on this router; "
            + "a new name reshuffles units, reusing one would mix two experiments' data");
      }
      List<String> names = new ArrayList<>();
      double[] weights = new double[experiment.arms().size()];
      for (int i = 0; i < weights.length; i++) {
        names.add(experiment.arms().get(i).release());
        weights[i] = experiment.arms().get(i).weight();
      }
      Allocation allocation = Allocation.of("experiment/" + experiment.name(), "experiment", names, names, weights);
      experiments.put(experiment.name(), new ExperimentRun(experiment, now(), allocation));
      state.experiment = experiment.name();
      state.allocation = allocation;
    }
  }

  /**
   * Where an experiment stands.
   *
   * @param confidence the confidence of the intervals, in (0, 1)
   * @throws NotFoundException for an unknown experiment
   */
  public ExperimentReport experimentReport(String name, double confidence) {
    ExperimentRun run = experiments.get(name);
    if (run == null) {
      throw new NotFoundException("unknown experiment '" + name + "'; known: " + new java.util.TreeSet<>(experiments.keySet()));
    }
    return ExperimentAnalysis.report(run.experiment, run.started, now(), run.allocation, confidence);
  }

  /**
   * Stops an experiment: the route's own splits apply again. Its report stays available.
   *
   * @return the final report at 95% confidence
   */
  public ExperimentReport stopExperiment(String name) {
    synchronized (structure) {
      ExperimentReport report = experimentReport(name, 0.95);
      RouteState state = route(report.experiment().route());
      if (name.equals(state.experiment)) {
        state.experiment = null;
        state.allocation = splitAllocation(state.route.name(), state.route.splits());
      }
      return report;
    }
  }

  // ----------------------------------------------------------------------------------------------- time

  /** The router's time: its clock, never earlier than a time it has already used. */
  Instant now() {
    Instant read = clock.instant();
    Instant before = latest.getAndAccumulate(read, (a, b) -> b.isAfter(a) ? b : a);
    if (read.isBefore(before)) {
      // Threads racing on the clock see readings a few microseconds apart: only a real step back is worth a warning,
      // and at most one a minute.
      Duration back = Duration.between(read, before);
      long tick = ticker.read();
      long last = lastClockWarning.get();
      if (back.compareTo(Duration.ofSeconds(1)) > 0 && (last == Long.MIN_VALUE || tick - last > 60_000_000_000L)
          && lastClockWarning.compareAndSet(last, tick)) {
        LOG.warn("The router's clock went back by {} (from {} to {}); it keeps using {} so no window or limit runs "
            + "backwards", back, before, read, before);
      }
      return before;
    }
    return read;
  }

  private double random() {
    if (seededRandom == null) {
      return java.util.concurrent.ThreadLocalRandom.current().nextDouble();
    }
    synchronized (seededRandom) {
      return seededRandom.nextDouble();
    }
  }

  private int randomBucket() {
    return (int) (random() * Buckets.COUNT);
  }

  private void count(String route, String release, String deployment, String outcome) {
    Counter.builder("llmops.router.requests").description("Routed calls by outcome")
        .tag("route", route).tag("release", release).tag("deployment", deployment).tag("outcome", outcome)
        .register(meters).increment();
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("A router listener failed; the call goes on", e);
    }
  }

  /** Closes the limit store. */
  @Override
  public void close() {
    limitStore.close();
  }

  // --------------------------------------------------------------------------------------- inner state

  private static final class RouteState {
    volatile Route route;
    volatile Allocation allocation;
    volatile @Nullable Canary canary;
    volatile @Nullable String experiment;
    final AtomicLong requests = new AtomicLong();

    RouteState(Route route, Allocation allocation) {
      this.route = route;
      this.allocation = allocation;
    }
  }

  record ExperimentRun(Experiment experiment, Instant started, Allocation allocation) {}

  private static final class CallOutcome {
    final List<Attempt> attempts = new ArrayList<>();
    @Nullable ChatResponse response;
    @Nullable String answeredBy;
    @Nullable LlmOpsException lastFailure;
    @Nullable ErrorClass lastClass;
    @Nullable String lastDeployment;
    boolean midStream;
    boolean modelCalled;
    boolean settled;
    int armTries;
    int armFailures;

    void skip(String deployment, String why) {
      attempts.add(new Attempt(deployment, Attempt.Outcome.SKIPPED, null, why, Duration.ZERO, Duration.ZERO));
    }
  }

  /** Passes tokens on and remembers what reached the caller. */
  private static final class Relay implements StreamListener {
    final StreamListener target;
    final StringBuilder text = new StringBuilder();
    int delivered;

    Relay(StreamListener target) {
      this.target = target;
    }

    @Nullable RuntimeException callerFailure;

    @Override
    public void onToken(String token) {
      delivered++;
      text.append(token);
      try {
        target.onToken(token);
      } catch (RuntimeException e) {
        callerFailure = e;
        throw e;
      }
    }

    @Override
    public boolean isCancelled() {
      return target.isCancelled();
    }
  }

  private final class DeploymentState {
    final Deployment deployment;
    final CircuitBreaker breaker;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong ewma = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    final Map<String, Boolean> warnedRoutes = new ConcurrentHashMap<>();
    volatile LifecycleStage stage;
    volatile @Nullable Instant openedAt;

    DeploymentState(Deployment deployment) {
      this.deployment = deployment;
      this.stage = deployment.stage();
      CircuitBreakerSettings s = deployment.circuitBreaker() == null ? defaultBreaker : deployment.circuitBreaker();
      CircuitBreakerConfig config = CircuitBreakerConfig.custom()
          .failureRateThreshold((float) (s.failureRate() * 100))
          .minimumNumberOfCalls(s.minimumCalls())
          .slidingWindow((int) s.window().getSeconds(), s.minimumCalls(), CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
          .waitDurationInOpenState(s.cooldown())
          .permittedNumberOfCallsInHalfOpenState(s.probeCalls())
          .slowCallRateThreshold(100)
          .slowCallDurationThreshold(Duration.ofDays(365))
          .clock(clock)
          .currentTimestampFunction(c -> now().toEpochMilli(), TimeUnit.MILLISECONDS)
          .build();
      this.breaker = CircuitBreaker.of(deployment.name(), config);
      breaker.getEventPublisher().onStateTransition(event -> {
        Instant at = now();
        if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
          openedAt = at;
        }
        LOG.info("Deployment '{}' circuit: {}", deployment.name(), event.getStateTransition());
        Router.notify(() -> listener.onCircuitChange(deployment.name(), event.getStateTransition().getFromState().name(),
            event.getStateTransition().getToState().name(), at));
      });
    }

    boolean enter() {
      while (true) {
        int now = inFlight.get();
        if (now >= deployment.maxConcurrency()) {
          return false;
        }
        if (inFlight.compareAndSet(now, now + 1)) {
          return true;
        }
      }
    }

    void exit() {
      inFlight.decrementAndGet();
    }

    double ewmaNanos() {
      return Double.longBitsToDouble(ewma.get());
    }

    void observeLatency(long nanos) {
      ewma.getAndUpdate(bits -> {
        double old = Double.longBitsToDouble(bits);
        return Double.doubleToLongBits(Double.isNaN(old) ? nanos : old + EWMA_WEIGHT * (nanos - old));
      });
    }

    @Nullable Duration cooldownLeft(Instant now) {
      Instant opened = openedAt;
      if (breaker.getState() != CircuitBreaker.State.OPEN || opened == null) {
        return null;
      }
      CircuitBreakerSettings s = deployment.circuitBreaker() == null ? defaultBreaker : deployment.circuitBreaker();
      Duration left = Duration.between(now, opened.plus(s.cooldown()));
      return left.isNegative() ? Duration.ZERO : left;
    }

    void warnIfDeprecated(String route) {
      if (stage == LifecycleStage.DEPRECATED && warnedRoutes.putIfAbsent(route, Boolean.TRUE) == null) {
        LOG.warn("Route '{}' uses deprecated deployment '{}'; move it to another before the deployment is retired",
            route, deployment.name());
      }
    }
  }

  // ------------------------------------------------------------------------------------------- builder

  /** Builds a {@link Router}. */
  public static final class Builder {
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Map<String, Release> releases = new LinkedHashMap<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private Sleeper sleeper = Sleeper.system();
    private LimitStore limitStore = LimitStore.inMemory();
    private BudgetListener budgetListener = alert -> LOG.warn("Budget alert: {}", alert);
    private RouterListener listener = new RouterListener() {};
    private @Nullable ResponseCache cache;
    private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.DEFAULT;
    private MeterRegistry meterRegistry = Metrics.globalRegistry;
    private @Nullable Long seed;
    private long feedbackCapacity = 100_000;
    private Duration feedbackRetention = Duration.ofHours(1);

    private Builder() {}

    /** Adds a deployment. */
    public Builder deployment(Deployment deployment) {
      if (deployments.putIfAbsent(deployment.name(), deployment) != null) {
        throw new InvalidRequestException("deployment '" + deployment.name() + "' was already added");
      }
      return this;
    }

    /** Adds a release. */
    public Builder release(Release release) {
      if (releases.putIfAbsent(release.name(), release) != null) {
        throw new InvalidRequestException("release '" + release.name() + "' was already added");
      }
      return this;
    }

    /** Adds a route. */
    public Builder route(Route route) {
      if (routes.putIfAbsent(route.name(), route) != null) {
        throw new InvalidRequestException("route '" + route.name() + "' was already added");
      }
      return this;
    }

    /** The clock for windows, limits and cooldowns (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The ticker for latencies (default {@link Ticker#system()}). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** How the router waits between retries (default {@link Sleeper#system()}). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Where limits and budgets are kept (default {@link LimitStore#inMemory()}). */
    public Builder limitStore(LimitStore store) {
      this.limitStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Hears budget alerts (default: logged at WARN). */
    public Builder budgetListener(BudgetListener listener) {
      this.budgetListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Hears canary decisions, exposures and circuit changes. */
    public Builder listener(RouterListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** A response cache for routes that allow it (default: none). */
    public Builder cache(@Nullable ResponseCache cache) {
      this.cache = cache;
      return this;
    }

    /** The circuit breaker for deployments that set none (default {@link CircuitBreakerSettings#DEFAULT}). */
    public Builder circuitBreaker(CircuitBreakerSettings settings) {
      this.circuitBreaker = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Where meters go (default Micrometer's global registry). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Makes random choices (jitter, shuffles, calls without a unit) reproducible. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** How many calls, and for how long, the router remembers for {@link #recordQuality} (default 100,000, 1 h). */
    public Builder feedbackRetention(long calls, Duration time) {
      if (calls < 1 || time.isNegative() || time.isZero()) {
        throw new IllegalArgumentException("feedback retention needs at least 1 call and a positive time but was "
            + calls + ", " + time);
      }
      this.feedbackCapacity = calls;
      this.feedbackRetention = time;
      return this;
    }

    /**
     * The router.
     *
     * @throws NotFoundException when a release names an unknown deployment or a route an unknown release
     */
    public Router build() {
      return new Router(this);
    }
  }
}
