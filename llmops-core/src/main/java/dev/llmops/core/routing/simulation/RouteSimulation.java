package dev.llmops.core.routing.simulation;

import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.routing.CallRecord;
import dev.llmops.core.routing.Canary;
import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryEvent;
import dev.llmops.core.routing.CanaryPlan;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.CanaryStep;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.DeploymentStrategy;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.RetryPolicy;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import dev.llmops.core.routing.RouterListener;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic simulation of one route under a canary release: simulated deployments with error rates,
 * log-normal latencies and prices, Poisson arrivals of requests from a population of units, degradations and manual
 * actions at given requests, all run through the real {@link Router} and {@link Canary} on simulated time
 * ({@link SimulatedClock}). The same scenario and seed give a byte-identical {@link SimulationReport#toJson()}.
 *
 * <p>The scenario is a JSON object (the site's routing page documents every key):
 * <pre>{@code
 * {
 *   "seed": 7, "requests": 12000, "requestsPerSecond": 20, "units": 2000,
 *   "deployments": [
 *     {"name": "gpt-a", "errorRate": 0.01, "latency": {"median": 800, "p95": 2000},
 *      "prices": {"input": 0.15, "output": 0.6}, "inputTokens": 600, "outputTokens": 200},
 *     {"name": "gpt-b", "errorRate": 0.06, "latency": {"median": 800, "p95": 2000}}],
 *   "releases": [{"name": "v1", "deployments": ["gpt-a"]}, {"name": "v2", "deployments": ["gpt-b"]}],
 *   "route": {"name": "support", "baseline": "v1"},
 *   "canary": {"candidate": "v2", "startAtRequest": 1, "plan": {
 *     "steps": [{"percent": 5, "minDuration": "PT2M", "minSamples": 200}], "evaluationInterval": "PT15S"}}
 * }
 * }</pre>
 *
 * <p>Parsing is strict: an unknown key, a value of the wrong type, a value out of range or a name that refers to
 * nothing is an {@link InvalidRequestException} whose message names the origin and the JSON path
 * ({@code s.json: deployments[1].errorRate must be within [0, 1] but was 1.5}).
 *
 * <p>Immutable and thread-safe; each {@link #run()} builds a fresh router and runs it on the calling thread.
 */
public final class RouteSimulation {

  /** The simulated time every run starts at. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** The actor of the canary's start. */
  static final String STARTER = "simulation";

  private static final ChatRequest REQUEST = ChatRequest.of("a simulated question");
  private static final ChatModel UNUSED = request -> {
    throw new IllegalStateException("a placeholder model of the scenario parser was called");
  };

  private final String origin;
  private final long seed;
  private final long requests;
  private final double requestsPerSecond;
  private final int units;
  private final List<DeploymentSpec> deployments;
  private final List<Release> releases;
  private final Route route;
  private final @Nullable CanarySpec canary;
  private final Map<String, QualitySpec> quality;
  private final Map<String, Double> guardBlockRate;
  private final List<Change> changes;
  private final List<Manual> manual;

  private RouteSimulation(String origin, long seed, long requests, double requestsPerSecond, int units,
      List<DeploymentSpec> deployments, List<Release> releases, Route route, @Nullable CanarySpec canary,
      Map<String, QualitySpec> quality, Map<String, Double> guardBlockRate, List<Change> changes, List<Manual> manual) {
    this.origin = origin;
    this.seed = seed;
    this.requests = requests;
    this.requestsPerSecond = requestsPerSecond;
    this.units = units;
    this.deployments = List.copyOf(deployments);
    this.releases = List.copyOf(releases);
    this.route = route;
    this.canary = canary;
    this.quality = Map.copyOf(quality);
    this.guardBlockRate = Map.copyOf(guardBlockRate);
    this.changes = List.copyOf(changes);
    this.manual = List.copyOf(manual);
  }

  /**
   * Parses and runs a scenario.
   *
   * @param json the scenario
   * @param origin where it came from, for messages and the report (a file name)
   * @throws InvalidRequestException for a bad scenario, naming {@code origin} and the JSON path
   */
  public static SimulationReport run(String json, String origin) {
    return parse(json, origin).run();
  }

  /** Where the scenario came from. */
  public String origin() {
    return origin;
  }

  /** The seed of the random draws (arrivals, units, latencies, failures, scores). */
  public long seed() {
    return seed;
  }

  /** This scenario with another seed; everything else is the same. */
  public RouteSimulation withSeed(long newSeed) {
    return new RouteSimulation(origin, newSeed, requests, requestsPerSecond, units, deployments, releases, route, canary,
        quality, guardBlockRate, changes, manual);
  }

  // -------------------------------------------------------------------------------------------------- parse

  /**
   * Parses a scenario.
   *
   * @param json the scenario, a JSON object
   * @param origin where it came from, for messages and the report (a file name)
   * @throws InvalidRequestException for invalid JSON, an unknown key, a value of the wrong type or out of range, or
   *     a name that refers to no deployment or release; the message names {@code origin} and the JSON path
   */
  public static RouteSimulation parse(String json, String origin) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(origin, "origin");
    ScenarioJson reader = new ScenarioJson(origin);
    ScenarioJson.Node root = reader.root(json).object(Set.of("description", "seed", "requests", "requestsPerSecond",
        "units", "deployments", "releases", "route", "canary", "quality", "guardBlockRate", "changes", "manual"));
    if (root.has("description")) {
      root.get("description").text();
    }
    long seed = root.has("seed") ? root.get("seed").integer(Long.MIN_VALUE, Long.MAX_VALUE) : 1;
    long requests = root.get("requests").integer(1, 100_000_000);
    double rate = root.get("requestsPerSecond").positive();
    int units = root.has("units") ? (int) root.get("units").integer(1, 100_000_000) : 1000;

    List<DeploymentSpec> deployments = new ArrayList<>();
    Set<String> deploymentNames = new HashSet<>();
    for (ScenarioJson.Node d : root.get("deployments").elements(true)) {
      DeploymentSpec spec = deployment(reader, d);
      if (!deploymentNames.add(spec.name)) {
        throw reader.problem(d.path + ".name", "repeats deployment name '" + spec.name + "'");
      }
      deployments.add(spec);
    }

    List<Release> releases = new ArrayList<>();
    Set<String> releaseNames = new HashSet<>();
    for (ScenarioJson.Node r : root.get("releases").elements(true)) {
      Release release = release(reader, r, deploymentNames);
      if (!releaseNames.add(release.name())) {
        throw reader.problem(r.path + ".name", "repeats release name '" + release.name() + "'");
      }
      releases.add(release);
    }

    Route route = route(reader, root.get("route"), releaseNames);
    String baseline = route.splits().get(0).release();

    CanarySpec canary = null;
    ScenarioJson.Node c = root.optional("canary");
    if (c != null) {
      canary = canary(reader, c, releaseNames, baseline, requests);
    }

    Map<String, QualitySpec> quality = new LinkedHashMap<>();
    ScenarioJson.Node q = root.optional("quality");
    if (q != null) {
      for (String name : q.map().keys()) {
        ScenarioJson.Node entry = q.get(name).object(Set.of("mean", "sd"));
        knownRelease(reader, entry.path, name, releaseNames);
        quality.put(name, new QualitySpec(entry.get("mean").numberWithin(0, 1), entry.get("sd").atLeast(0)));
      }
    }
    Map<String, Double> guard = new LinkedHashMap<>();
    ScenarioJson.Node g = root.optional("guardBlockRate");
    if (g != null) {
      for (String name : g.map().keys()) {
        ScenarioJson.Node entry = g.get(name);
        knownRelease(reader, entry.path, name, releaseNames);
        guard.put(name, entry.numberWithin(0, 1));
      }
    }

    List<Change> changes = new ArrayList<>();
    ScenarioJson.Node ch = root.optional("changes");
    if (ch != null) {
      for (ScenarioJson.Node e : ch.elements(false)) {
        e.object(Set.of("atRequest", "deployment", "errorRate", "latency"));
        long at = e.get("atRequest").integer(1, requests);
        ScenarioJson.Node dn = e.get("deployment");
        String name = dn.text();
        if (!deploymentNames.contains(name)) {
          throw reader.problem(dn.path, "names unknown deployment '" + name + "'; known: " + sorted(deploymentNames));
        }
        Double errorRate = e.has("errorRate") ? e.get("errorRate").numberWithin(0, 1) : null;
        double[] latency = e.has("latency") ? latency(reader, e.get("latency")) : null;
        if (errorRate == null && latency == null) {
          throw reader.problem(e.path, "changes nothing: give an errorRate, a latency or both");
        }
        changes.add(new Change(at, name, errorRate, latency == null ? null : latency[0],
            latency == null ? null : latency[1]));
      }
    }

    List<Manual> manual = new ArrayList<>();
    ScenarioJson.Node m = root.optional("manual");
    if (m != null) {
      for (ScenarioJson.Node e : m.elements(false)) {
        e.object(Set.of("atRequest", "action", "actor", "reason"));
        if (canary == null) {
          throw reader.problem(e.path, "is a manual canary action but the scenario has no canary");
        }
        long at = e.get("atRequest").integer(canary.startAtRequest, requests);
        ManualAction action = e.get("action").enumValue(ManualAction.class);
        String actor = e.has("actor") ? e.get("actor").text() : "operator";
        String reason = e.has("reason") ? e.get("reason").text() : "manual " + action.name().toLowerCase(java.util.Locale.ROOT)
            + " in the scenario";
        manual.add(new Manual(e.path, at, action, actor, reason));
      }
    }
    changes.sort(java.util.Comparator.comparingLong(Change::atRequest)); // stable: same request, document order
    manual.sort(java.util.Comparator.comparingLong(Manual::atRequest));
    return new RouteSimulation(origin, seed, requests, rate, units, deployments, releases, route, canary, quality, guard,
        changes, manual);
  }

  private static DeploymentSpec deployment(ScenarioJson reader, ScenarioJson.Node d) {
    d.object(Set.of("name", "errorRate", "latency", "prices", "inputTokens", "outputTokens"));
    ScenarioJson.Node nameNode = d.get("name");
    String name = nameNode.text();
    double errorRate = d.has("errorRate") ? d.get("errorRate").numberWithin(0, 1) : 0;
    double[] latency = latency(reader, d.get("latency"));
    PriceTable prices = PriceTable.FREE;
    ScenarioJson.Node p = d.optional("prices");
    if (p != null) {
      p.object(Set.of("input", "cachedInput", "output"));
      double input = p.get("input").atLeast(0);
      double cached = p.has("cachedInput") ? p.get("cachedInput").atLeast(0) : input;
      prices = new PriceTable(input, cached, p.get("output").atLeast(0));
    }
    int inputTokens = d.has("inputTokens") ? (int) d.get("inputTokens").integer(0, Integer.MAX_VALUE / 2) : 500;
    int outputTokens = d.has("outputTokens") ? (int) d.get("outputTokens").integer(0, Integer.MAX_VALUE / 2) : 200;
    try {
      Deployment.builder(name, UNUSED).prices(prices).build(); // the router's own checks of the name
    } catch (IllegalArgumentException | InvalidRequestException e) {
      throw invalid(reader, nameNode.path, e);
    }
    return new DeploymentSpec(name, errorRate, latency[0], latency[1], prices, inputTokens, outputTokens);
  }

  private static double[] latency(ScenarioJson reader, ScenarioJson.Node l) {
    l.object(Set.of("median", "p95"));
    double median = l.get("median").positive();
    ScenarioJson.Node p95Node = l.get("p95");
    double p95 = p95Node.number();
    if (!(p95 >= median)) {
      throw reader.problem(p95Node.path, "must be at least the median (" + median + " ms) but was " + p95);
    }
    return new double[] {median, p95};
  }

  private static Release release(ScenarioJson reader, ScenarioJson.Node r, Set<String> deploymentNames) {
    r.object(Set.of("name", "deployments", "strategy", "prompt"));
    String name = r.get("name").text();
    Release.Builder builder = Release.builder(name);
    for (ScenarioJson.Node d : r.get("deployments").elements(true)) {
      String deployment = d.text();
      if (!deploymentNames.contains(deployment)) {
        throw reader.problem(d.path, "names unknown deployment '" + deployment + "'; known: " + sorted(deploymentNames));
      }
      builder.deployments(deployment);
    }
    if (r.has("strategy")) {
      builder.strategy(r.get("strategy").enumValue(DeploymentStrategy.class));
    }
    if (r.has("prompt")) {
      builder.prompt(r.get("prompt").text());
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | InvalidRequestException e) {
      throw invalid(reader, r.path, e);
    }
  }

  private static Route route(ScenarioJson reader, ScenarioJson.Node r, Set<String> releaseNames) {
    r.object(Set.of("name", "baseline", "retry"));
    String name = r.get("name").text();
    ScenarioJson.Node baselineNode = r.get("baseline");
    String baseline = baselineNode.text();
    knownRelease(reader, baselineNode.path, baseline, releaseNames);
    RetryPolicy retry = RetryPolicy.NONE;
    ScenarioJson.Node rt = r.optional("retry");
    if (rt != null) {
      rt.object(Set.of("maxAttempts", "initialBackoff", "maxBackoff", "multiplier", "jitter", "maxRetryAfter"));
      RetryPolicy base = RetryPolicy.DEFAULT;
      try {
        retry = new RetryPolicy(
            rt.has("maxAttempts") ? (int) rt.get("maxAttempts").integer(1, 100) : base.maxAttempts(),
            rt.has("initialBackoff") ? rt.get("initialBackoff").duration() : base.initialBackoff(),
            rt.has("maxBackoff") ? rt.get("maxBackoff").duration() : base.maxBackoff(),
            rt.has("multiplier") ? rt.get("multiplier").number() : base.multiplier(),
            rt.has("jitter") ? rt.get("jitter").number() : base.jitter(),
            rt.has("maxRetryAfter") ? rt.get("maxRetryAfter").duration() : base.maxRetryAfter());
      } catch (IllegalArgumentException e) {
        throw invalid(reader, rt.path, e);
      }
    }
    try {
      return Route.builder(name).release(baseline, 1).retry(retry).cache(false).build();
    } catch (IllegalArgumentException | InvalidRequestException e) {
      throw invalid(reader, r.path, e);
    }
  }

  private static CanarySpec canary(ScenarioJson reader, ScenarioJson.Node c, Set<String> releaseNames, String baseline,
      long requests) {
    c.object(Set.of("candidate", "startAtRequest", "plan"));
    ScenarioJson.Node candidateNode = c.get("candidate");
    String candidate = candidateNode.text();
    knownRelease(reader, candidateNode.path, candidate, releaseNames);
    if (candidate.equals(baseline)) {
      throw reader.problem(candidateNode.path, "is the route's baseline '" + baseline + "'; a canary needs another release");
    }
    long start = c.has("startAtRequest") ? c.get("startAtRequest").integer(1, requests) : 1;
    ScenarioJson.Node p = c.get("plan").object(Set.of("steps", "maxErrorRateIncrease", "maxLatencyRatio",
        "maxGuardBlockRateIncrease", "maxQualityDrop", "maxCostRatio", "confidence", "evaluationInterval",
        "inconclusiveAfter", "dryRun"));
    CanaryPlan.Builder plan = CanaryPlan.builder();
    for (ScenarioJson.Node s : p.get("steps").elements(true)) {
      s.object(Set.of("percent", "minDuration", "minSamples"));
      double percent = s.get("percent").number();
      Duration minDuration = s.get("minDuration").duration();
      long minSamples = s.get("minSamples").integer(1, Long.MAX_VALUE);
      try {
        new CanaryStep(percent, minDuration, minSamples);
      } catch (IllegalArgumentException e) {
        throw invalid(reader, s.path, e);
      }
      plan.step(percent, minDuration, minSamples);
    }
    if (p.has("maxErrorRateIncrease")) {
      plan.maxErrorRateIncrease(p.get("maxErrorRateIncrease").number());
    }
    if (p.has("maxLatencyRatio")) {
      plan.maxLatencyRatio(p.get("maxLatencyRatio").number());
    }
    if (p.has("maxGuardBlockRateIncrease")) {
      plan.maxGuardBlockRateIncrease(nullableNumber(p, "maxGuardBlockRateIncrease"));
    }
    if (p.has("maxQualityDrop")) {
      plan.maxQualityDrop(nullableNumber(p, "maxQualityDrop"));
    }
    if (p.has("maxCostRatio")) {
      plan.maxCostRatio(nullableNumber(p, "maxCostRatio"));
    }
    if (p.has("confidence")) {
      plan.confidence(p.get("confidence").number());
    }
    if (p.has("evaluationInterval")) {
      plan.evaluationInterval(p.get("evaluationInterval").duration());
    }
    if (p.has("inconclusiveAfter")) {
      plan.inconclusiveAfter(p.get("inconclusiveAfter").duration());
    }
    if (p.has("dryRun")) {
      plan.dryRun(p.get("dryRun").bool());
    }
    try {
      return new CanarySpec(candidate, start, plan.build());
    } catch (IllegalArgumentException e) {
      throw invalid(reader, p.path, e);
    }
  }

  /** An explicit {@code null} turns a metric off; a number sets its threshold. */
  private static @Nullable Double nullableNumber(ScenarioJson.Node node, String key) {
    return node.isNull(key) ? null : node.get(key).number();
  }

  private static void knownRelease(ScenarioJson reader, String path, String name, Set<String> releaseNames) {
    if (!releaseNames.contains(name)) {
      throw reader.problem(path, "names unknown release '" + name + "'; known: " + sorted(releaseNames));
    }
  }

  private static InvalidRequestException invalid(ScenarioJson reader, String path, RuntimeException e) {
    return reader.problem(path, "is invalid: " + e.getMessage(), e);
  }

  private static List<String> sorted(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    java.util.Collections.sort(list);
    return list;
  }

  // ---------------------------------------------------------------------------------------------------- run

  /**
   * Runs the scenario: a fresh router on fresh simulated time, every request on the calling thread.
   *
   * @return the report; the same for the same scenario and seed
   */
  public SimulationReport run() {
    SimulatedClock time = new SimulatedClock(START);
    SplittableRandom master = new SplittableRandom(seed);
    SplittableRandom arrivals = master.split();
    SplittableRandom unitDraws = master.split();
    SplittableRandom feedback = master.split();
    Map<String, Counts> arms = new LinkedHashMap<>();
    for (String label : List.of("route", "baseline", "canary")) {
      arms.put(label, new Counts());
    }
    Counts canaryArm = arms.get("canary");
    List<SimulationReport.Decision> decisions = new ArrayList<>();
    RouterListener listener = new RouterListener() {
      @Override
      public void onCall(CallRecord call) {
        Counts counts = arms.computeIfAbsent(call.arm(), k -> new Counts());
        counts.calls++;
        counts.tries += call.tries();
        counts.errors += call.failedTries();
        if (call.outcome() != CallRecord.Outcome.FAILED) {
          counts.answered++;
        }
      }

      @Override
      public void onCanaryEvent(CanaryEvent event) {
        decisions.add(new SimulationReport.Decision(event, Duration.between(START, event.time()).toNanos() / 1e9,
            canaryArm.calls));
      }
    };
    Map<String, SimulatedModel> models = new LinkedHashMap<>();
    Router.Builder builder = Router.builder().clock(time).ticker(time).sleeper(time).seed(seed).listener(listener)
        .meterRegistry(new CompositeMeterRegistry());
    for (DeploymentSpec d : deployments) {
      SimulatedModel model = new SimulatedModel(d.name, d.errorRate, d.medianMillis, d.p95Millis, d.inputTokens,
          d.outputTokens, time, master.nextLong());
      models.put(d.name, model);
      builder.deployment(Deployment.builder(d.name, model).prices(d.prices).build());
    }
    releases.forEach(builder::release);
    builder.route(route);
    String routeName = route.name();
    List<String> refused = new ArrayList<>();
    Canary handle = null;
    Instant arrival = START;
    double seconds = 0;
    int nextChange = 0;
    int nextManual = 0;
    try (Router router = builder.build()) {
      for (long n = 1; n <= requests; n++) {
        seconds += -StrictMath.log(1 - arrivals.nextDouble()) / requestsPerSecond;
        arrival = START.plusNanos(Math.round(seconds * 1e9));
        time.advanceTo(arrival);
        while (nextChange < changes.size() && changes.get(nextChange).atRequest == n) {
          Change change = changes.get(nextChange++);
          SimulatedModel model = models.get(change.deployment);
          if (change.errorRate != null) {
            model.errorRate(change.errorRate);
          }
          if (change.medianMillis != null && change.p95Millis != null) {
            model.latency(change.medianMillis, change.p95Millis);
          }
        }
        if (canary != null && canary.startAtRequest == n) {
          handle = router.startCanary(routeName, canary.candidate, canary.plan, STARTER);
        }
        while (nextManual < manual.size() && manual.get(nextManual).atRequest == n) {
          Manual action = manual.get(nextManual++);
          try {
            act(Objects.requireNonNull(handle, "the canary starts before its manual actions"), action);
          } catch (ConflictException e) {
            refused.add(action.path + " (" + action.action.name().toLowerCase(java.util.Locale.ROOT) + " by "
                + action.actor + " at request " + n + "): " + e.getMessage());
          }
        }
        String unit = "u" + unitDraws.nextInt(units);
        try {
          feed(router, router.chat(RouteRequest.builder(routeName, REQUEST).unit(unit).build()), feedback);
        } catch (LlmOpsException failed) {
          // counted through the listener's onCall, like every other call
        }
      }
      Map<String, Double> split = router.currentSplit(routeName);
      CanaryState state = handle == null ? null : handle.state();
      double percent = handle == null ? 0 : handle.percent();
      Map<String, SimulationReport.ArmCounts> armCounts = new LinkedHashMap<>();
      arms.forEach((k, v) -> armCounts.put(k, new SimulationReport.ArmCounts(v.calls, v.tries, v.errors, v.answered)));
      Long untilDecision = null;
      for (SimulationReport.Decision d : decisions) {
        CanaryAction a = d.event().action();
        if (a == CanaryAction.ROLLBACK || a == CanaryAction.COMPLETE) {
          untilDecision = d.canaryCalls();
          break;
        }
      }
      return new SimulationReport(origin, seed, requests, START, Duration.between(START, arrival), decisions,
          new SimulationReport.FinalState(state, percent, split), armCounts, untilDecision, refused);
    }
  }

  private void feed(Router router, RoutedResponse answer, SplittableRandom random) {
    String release = answer.release().name();
    QualitySpec q = quality.get(release);
    if (q != null) {
      double u1 = 1 - random.nextDouble();
      double u2 = random.nextDouble();
      double z = StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
      router.recordQuality(answer.requestId(), Math.min(1, Math.max(0, q.mean + q.sd * z)));
    }
    Double blockRate = guardBlockRate.get(release);
    if (blockRate != null) {
      router.recordGuardOutcome(answer.requestId(), random.nextDouble() < blockRate);
    }
  }

  private static void act(Canary canary, Manual m) {
    switch (m.action) {
      case PROMOTE:
        canary.promote(m.actor, m.reason);
        break;
      case PAUSE:
        canary.pause(m.actor, m.reason);
        break;
      case RESUME:
        canary.resume(m.actor, m.reason);
        break;
      case ROLLBACK:
        canary.rollback(m.actor, m.reason);
        break;
      case ABORT:
        canary.abort(m.actor, m.reason);
        break;
      default:
        throw new IllegalStateException("unknown manual action " + m.action);
    }
  }

  // ------------------------------------------------------------------------------------------------ parts

  private enum ManualAction { PROMOTE, PAUSE, RESUME, ROLLBACK, ABORT }

  private record DeploymentSpec(String name, double errorRate, double medianMillis, double p95Millis,
      PriceTable prices, int inputTokens, int outputTokens) {}

  private record CanarySpec(String candidate, long startAtRequest, CanaryPlan plan) {}

  private record QualitySpec(double mean, double sd) {}

  private record Change(long atRequest, String deployment, @Nullable Double errorRate, @Nullable Double medianMillis,
      @Nullable Double p95Millis) {}

  private record Manual(String path, long atRequest, ManualAction action, String actor, String reason) {}

  private static final class Counts {
    long calls;
    long tries;
    long errors;
    long answered;
  }
}
