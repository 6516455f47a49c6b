package dev.llmops.core.routing;

import dev.llmops.core.ConflictException;
import dev.llmops.core.internal.routing.Allocation;
import dev.llmops.core.internal.routing.ArmStats;
import dev.llmops.core.internal.routing.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A canary release in progress on one route, started by {@link Router#startCanary}: the controller that moves
 * traffic from the baseline release to the candidate step by step, analyses every step as calls complete (see
 * {@link CanaryPlan} for the rules), and the handle for decisions by hand. Every decision, automatic or manual, is
 * a {@link CanaryEvent} in {@link #events()} and goes to the router's {@link RouterListener}.
 *
 * <p>Thread-safe: decisions are serialised; calls only read the current split.
 */
public final class Canary {

  private final Router router;
  private final String route;
  private final String baseline;
  private final String candidate;
  private final CanaryPlan plan;
  private final List<CanaryEvent> events = new ArrayList<>();
  private final Map<Metric, Double> runningMinP = new EnumMap<>(Metric.class);
  private final java.util.concurrent.atomic.AtomicBoolean evaluating = new java.util.concurrent.atomic.AtomicBoolean();
  private CanaryState state = CanaryState.RUNNING;
  private int step;
  private Instant stepStarted;
  private Instant lastEvaluation;
  private @Nullable String lastHoldKey;

  Canary(Router router, String route, String baseline, String candidate, CanaryPlan plan, Instant now, long requests,
      String actor) {
    this.router = router;
    this.route = route;
    this.baseline = baseline;
    this.candidate = candidate;
    this.plan = plan;
    this.stepStarted = now;
    this.lastEvaluation = now;
    router.applyCanarySplit(route, baseline, candidate, plan.steps().get(0).basisPoints());
    record(new CanaryEvent(route, baseline, candidate, now, requests, CanaryAction.START, 0, 0,
        plan.steps().get(0).percent(), plan.dryRun(), actor, "canary of '" + candidate + "' against '" + baseline
        + "' started at " + plan.steps().get(0).percent() + "%", List.of()));
  }

  /** The route. */
  public String route() {
    return route;
  }

  /** The baseline release. */
  public String baseline() {
    return baseline;
  }

  /** The candidate release. */
  public String candidate() {
    return candidate;
  }

  /** The plan. */
  public CanaryPlan plan() {
    return plan;
  }

  /** Where it stands. */
  public synchronized CanaryState state() {
    return state;
  }

  /** The current step, 0-based; equals the number of steps once completed. */
  public synchronized int step() {
    return step;
  }

  /** The candidate's current share of the route's traffic, in percent. */
  public synchronized double percent() {
    return switch (state) {
      case COMPLETED -> 100;
      case ROLLED_BACK, ABORTED -> 0;
      default -> plan.steps().get(step).percent();
    };
  }

  /** Every decision so far, oldest first. */
  public synchronized List<CanaryEvent> events() {
    return List.copyOf(events);
  }

  /** Evaluates if the plan's interval has passed since the last evaluation (called by the router after each call). */
  void maybeEvaluate(Instant now) {
    // One request thread evaluates; the others go on at once instead of queueing for the same analysis.
    if (!evaluating.compareAndSet(false, true)) {
      return;
    }
    try {
      synchronized (this) {
        if (state == CanaryState.RUNNING
            && Duration.between(lastEvaluation, now).compareTo(plan.evaluationInterval()) >= 0) {
          evaluate();
        }
      }
    } finally {
      evaluating.set(false);
    }
  }

  /**
   * Evaluates the current step now and acts on the decision (unless the plan is a dry run).
   *
   * @return the decision; a paused or finished canary returns its last event without evaluating
   */
  public synchronized CanaryEvent evaluate() {
    if (state != CanaryState.RUNNING) {
      return events.get(events.size() - 1);
    }
    Instant now = router.now();
    lastEvaluation = now;
    Allocation allocation = router.allocation(route);
    Allocation.Arm canaryArm = allocation == null ? null : allocation.arm("canary");
    Allocation.Arm baselineArm = allocation == null ? null : allocation.arm("baseline");
    if (canaryArm == null || baselineArm == null) {
      throw new IllegalStateException("route '" + route + "' lost its canary split");
    }
    ArmStats.Snapshot c = canaryArm.stats().snapshot();
    ArmStats.Snapshot b = baselineArm.stats().snapshot();
    CanaryStep current = plan.steps().get(step);
    List<MetricEvidence> evidence = analyse(c, b, current.minSamples());
    Duration age = Duration.between(stepStarted, now);

    List<String> breached = names(evidence, MetricEvidence.Verdict.BREACH);
    if (!breached.isEmpty()) {
      return act(CanaryAction.ROLLBACK, "controller", breached + " beyond threshold at " + confidencePercent()
          + "% confidence", evidence, now);
    }
    List<String> missing = names(evidence, MetricEvidence.Verdict.INSUFFICIENT_DATA);
    List<String> unsure = names(evidence, MetricEvidence.Verdict.INCONCLUSIVE);
    String holdKey = null;
    String why = null;
    if (age.compareTo(current.minDuration()) < 0 || c.calls() < current.minSamples() || !missing.isEmpty()) {
      holdKey = "data:" + missing;
      List<String> shortOf = new ArrayList<>();
      if (age.compareTo(current.minDuration()) < 0) {
        shortOf.add("the step is " + age.toSeconds() + " s old of the " + current.minDuration().toSeconds() + " s it needs");
      }
      if (c.calls() < current.minSamples()) {
        shortOf.add(c.calls() + " of " + current.minSamples() + " canary calls");
      }
      if (!missing.isEmpty()) {
        shortOf.add("too few samples of " + missing + " on a side");
      }
      why = "not enough data yet: " + String.join(", ", shortOf);
    } else if (!unsure.isEmpty()) {
      holdKey = "unsure:" + unsure;
      why = unsure + " worse than threshold but not significantly yet";
    }
    if (holdKey != null) {
      if (age.compareTo(plan.inconclusiveAfter()) >= 0) {
        return act(CanaryAction.PAUSE, "controller", "still undecided " + plan.inconclusiveAfter().toMinutes()
            + " min into the step (" + why + "); waiting for a person", evidence, now);
      }
      if (holdKey.equals(lastHoldKey)) {
        return events.get(events.size() - 1);
      }
      lastHoldKey = holdKey;
      return act(CanaryAction.HOLD, "controller", why, evidence, now);
    }
    return act(step == plan.steps().size() - 1 ? CanaryAction.COMPLETE : CanaryAction.PROMOTE, "controller",
        "every metric within its threshold after " + c.calls() + " canary calls", evidence, now);
  }

  /**
   * Promotes to the next step (or completes after the last) by hand, whatever the analysis says.
   *
   * @throws ConflictException when the canary is over
   */
  public synchronized CanaryEvent promote(String actor, String reason) {
    requireActive("promote");
    return act(step == plan.steps().size() - 1 ? CanaryAction.COMPLETE : CanaryAction.PROMOTE, actor, reason, List.of(),
        router.now());
  }

  /**
   * Pauses analysis; traffic stays at the current step until {@link #resume}, {@link #promote}, {@link #rollback} or
   * {@link #abort}.
   *
   * @throws ConflictException when the canary is over or already paused
   */
  public synchronized CanaryEvent pause(String actor, String reason) {
    requireActive("pause");
    if (state == CanaryState.PAUSED) {
      throw new ConflictException("the canary of '" + candidate + "' on route '" + route + "' is already paused");
    }
    return act(CanaryAction.PAUSE, actor, reason, List.of(), router.now());
  }

  /**
   * Resumes analysis after a pause; the step's window starts again.
   *
   * @throws ConflictException unless the canary is paused
   */
  public synchronized CanaryEvent resume(String actor, String reason) {
    if (state != CanaryState.PAUSED) {
      throw new ConflictException("the canary of '" + candidate + "' on route '" + route + "' is " + state
          + ", not paused");
    }
    return act(CanaryAction.RESUME, actor, reason, List.of(), router.now());
  }

  /**
   * Rolls back by hand: all traffic to the baseline at once.
   *
   * @throws ConflictException when the canary is over
   */
  public synchronized CanaryEvent rollback(String actor, String reason) {
    requireActive("roll back");
    return act(CanaryAction.ROLLBACK, actor, reason, List.of(), router.now());
  }

  /**
   * Aborts by hand: all traffic to the baseline at once, recorded as an abort rather than a rollback.
   *
   * @throws ConflictException when the canary is over
   */
  public synchronized CanaryEvent abort(String actor, String reason) {
    requireActive("abort");
    return act(CanaryAction.ABORT, actor, reason, List.of(), router.now());
  }

  private void requireActive(String what) {
    if (state.isFinal()) {
      throw new ConflictException("cannot " + what + " the canary of '" + candidate + "' on route '" + route
          + "': it is " + state);
    }
  }

  private CanaryEvent act(CanaryAction action, String actor, String reason, List<MetricEvidence> evidence, Instant now) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    boolean automatic = "controller".equals(actor);
    boolean dry = automatic && plan.dryRun();
    double from = percent();
    double to = from;
    int decidedAt = step;
    if (!dry) {
      switch (action) {
        case PROMOTE:
          step++;
          newWindow(now);
          router.applyCanarySplit(route, baseline, candidate, plan.steps().get(step).basisPoints());
          state = CanaryState.RUNNING;
          to = plan.steps().get(step).percent();
          break;
        case COMPLETE:
          step = plan.steps().size();
          state = CanaryState.COMPLETED;
          router.finishCanary(route, this, candidate);
          to = 100;
          break;
        case ROLLBACK:
        case ABORT:
          state = action == CanaryAction.ROLLBACK ? CanaryState.ROLLED_BACK : CanaryState.ABORTED;
          router.finishCanary(route, this, baseline);
          to = 0;
          break;
        case PAUSE:
          state = CanaryState.PAUSED;
          break;
        case RESUME:
          state = CanaryState.RUNNING;
          newWindow(now);
          router.applyCanarySplit(route, baseline, candidate, plan.steps().get(step).basisPoints());
          break;
        case HOLD:
        case START:
          break;
        default:
          throw new IllegalStateException("unknown action " + action);
      }
    }
    if (dry && action != CanaryAction.HOLD) { // a dry run records each would-be action once, not at every look
      CanaryEvent last = events.get(events.size() - 1);
      if (last.action() == action && last.dryRun()) {
        return last;
      }
    }
    return record(new CanaryEvent(route, baseline, candidate, now, router.requestCount(route), action, decidedAt, from, to,
        dry, actor, reason, evidence));
  }

  private void newWindow(Instant now) {
    stepStarted = now;
    lastEvaluation = now;
    lastHoldKey = null;
    runningMinP.clear();
  }

  private CanaryEvent record(CanaryEvent event) {
    events.add(event);
    router.publish(event);
    return event;
  }

  private String confidencePercent() {
    return String.format(Locale.ROOT, "%.4g", plan.confidence() * 100);
  }

  private static List<String> names(List<MetricEvidence> evidence, MetricEvidence.Verdict verdict) {
    List<String> names = new ArrayList<>();
    for (MetricEvidence e : evidence) {
      if (e.verdict() == verdict) {
        names.add(e.metric().name());
      }
    }
    return names;
  }

  // ------------------------------------------------------------------------------------------- analysis

  private List<MetricEvidence> analyse(ArmStats.Snapshot c, ArmStats.Snapshot b, long minSamples) {
    int enabled = 0;
    for (Metric m : Metric.values()) {
      if (plan.enabled(m)) {
        enabled++;
      }
    }
    double alpha = (1 - plan.confidence()) / enabled;
    List<MetricEvidence> evidence = new ArrayList<>();
    for (Metric m : Metric.values()) {
      if (!plan.enabled(m)) {
        continue;
      }
      switch (m) {
        case ERROR_RATE:
          evidence.add(rate(m, c.errors(), c.tries(), b.errors(), b.tries(), plan.maxErrorRateIncrease(), minSamples, alpha));
          break;
        case GUARD_BLOCK_RATE:
          evidence.add(rate(m, c.guardBlocks(), c.guardChecks(), b.guardBlocks(), b.guardChecks(),
              Objects.requireNonNull(plan.maxGuardBlockRateIncrease()), minSamples, alpha));
          break;
        case LATENCY:
          evidence.add(latency(c, b, minSamples, alpha));
          break;
        case QUALITY: {
          // Worse means lower: test baseline - canary > allowed drop.
          double drop = Objects.requireNonNull(plan.maxQualityDrop());
          evidence.add(mean(m, c.qualityCount(), c.qualityMean(), c.qualityVariance(), b.qualityCount(), b.qualityMean(),
              b.qualityVariance(), -1, drop, "baseline - canary <= " + drop, minSamples, alpha));
          break;
        }
        case COST: {
          double ratio = Objects.requireNonNull(plan.maxCostRatio());
          evidence.add(mean(m, c.costCount(), c.costMean(), c.costVariance(), b.costCount(), b.costMean(),
              b.costVariance(), ratio, 0, "canary <= " + ratio + " x baseline", minSamples, alpha));
          break;
        }
        default:
          throw new IllegalStateException("unknown metric " + m);
      }
    }
    return evidence;
  }

  private MetricEvidence rate(Metric m, long cx, long cn, long bx, long bn, double margin, long minSamples, double alpha) {
    double pc = cn == 0 ? Double.NaN : (double) cx / cn;
    double pb = bn == 0 ? Double.NaN : (double) bx / bn;
    String threshold = "canary - baseline <= " + margin;
    if (cn < minSamples || bn < minSamples) {
      return new MetricEvidence(m, MetricEvidence.Verdict.INSUFFICIENT_DATA, cn, bn, pc, pb, threshold, "none", 1);
    }
    double difference = pc - pb;
    double variance = pc * (1 - pc) / cn + pb * (1 - pb) / bn;
    if (variance == 0) {
      double pooled = (double) (cx + bx) / (cn + bn);
      variance = pooled * (1 - pooled) * (1.0 / cn + 1.0 / bn);
    }
    double tau = Math.max(margin, 0.02);
    double p = variance == 0 ? (difference > margin ? 0 : 1)
        : Stats.alwaysValidPValue(difference, variance, margin, tau * tau);
    return judge(m, p, difference > margin, alpha, cn, bn, pc, pb, threshold, "mSPRT");
  }

  /**
   * A mean compared as {@code sign * (canary - ratio * baseline) > margin} (sign -1 with ratio 1 tests a drop).
   */
  private MetricEvidence mean(Metric m, long cn, double cMean, double cVar, long bn, double bMean, double bVar,
      double ratio, double margin, String threshold, long minSamples, double alpha) {
    if (cn < Math.max(2, minSamples) || bn < Math.max(2, minSamples)) {
      return new MetricEvidence(m, MetricEvidence.Verdict.INSUFFICIENT_DATA, cn, bn, cn == 0 ? Double.NaN : cMean,
          bn == 0 ? Double.NaN : bMean, threshold, "none", 1);
    }
    double difference;
    double variance;
    double tau;
    if (ratio < 0) {
      difference = bMean - cMean;
      variance = cVar / cn + bVar / bn;
      tau = Math.max(margin, 0.05 * Math.max(Math.abs(bMean), 1e-9));
    } else {
      difference = cMean - ratio * bMean;
      variance = cVar / cn + ratio * ratio * bVar / bn;
      tau = Math.max(0.25 * Math.abs(bMean), 1e-12);
    }
    double p = variance == 0 ? (difference > margin ? 0 : 1)
        : Stats.alwaysValidPValue(difference, variance, margin, tau * tau);
    return judge(m, p, difference > margin, alpha, cn, bn, cMean, bMean, threshold, "mSPRT");
  }

  private MetricEvidence latency(ArmStats.Snapshot c, ArmStats.Snapshot b, long minSamples, double alpha) {
    double ratio = plan.maxLatencyRatio();
    String threshold = "canary p95 <= " + ratio + " x baseline p95";
    long cn = c.latencyCount();
    long bn = b.latencyCount();
    double cp95 = cn == 0 ? Double.NaN : Stats.quantile(c.latencies(), 0.95);
    double bp95 = bn == 0 ? Double.NaN : Stats.quantile(b.latencies(), 0.95);
    if (cn < minSamples || bn < minSamples) {
      return new MetricEvidence(Metric.LATENCY, MetricEvidence.Verdict.INSUFFICIENT_DATA, cn, bn, cp95, bp95, threshold,
          "none", 1);
    }
    double[] scaled = b.latencies().clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= ratio;
    }
    double p = Stats.mannWhitneyGreater(c.latencies(), scaled).pValue();
    return new MetricEvidence(Metric.LATENCY, verdict(p, cp95 > ratio * bp95, alpha, Metric.LATENCY), cn, bn, cp95, bp95,
        threshold, "Mann-Whitney U", p);
  }

  private MetricEvidence judge(Metric m, double p, boolean beyond, double alpha, long cn, long bn, double cv, double bv,
      String threshold, String test) {
    double runningMin = Math.min(p, runningMinP.getOrDefault(m, 1.0));
    runningMinP.put(m, runningMin); // mSPRT: the always-valid p-value is the running minimum over looks
    return new MetricEvidence(m, verdict(runningMin, beyond, alpha, m), cn, bn, cv, bv, threshold, test, runningMin);
  }

  private static MetricEvidence.Verdict verdict(double p, boolean beyond, double alpha, Metric m) {
    if (p < alpha) {
      return MetricEvidence.Verdict.BREACH;
    }
    return beyond ? MetricEvidence.Verdict.INCONCLUSIVE : MetricEvidence.Verdict.PASS;
  }
}
