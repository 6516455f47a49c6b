package dev.llmops.core.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a canary moves a route from its baseline release to a candidate: the steps, what counts as worse, how sure
 * the controller must be, and when it gives up and asks a person.
 *
 * <p>At every evaluation the controller compares canary and baseline over the same window (since the step began) on
 * each enabled {@link Metric}, and decides:
 * <ul>
 *   <li><b>rollback</b>, at once, all traffic to the baseline — when any metric is beyond its threshold with
 *       evidence at {@code confidence}: rates and means by a one-sided mixture sequential probability ratio test
 *       (mSPRT), whose p-values stay valid however often the controller looks; latency by a one-sided
 *       Mann-Whitney U test of the canary against the baseline scaled by the allowed ratio. The significance level
 *       is split evenly over the enabled metrics (Bonferroni);</li>
 *   <li><b>hold</b> — while a side has fewer than the step's {@code minSamples} samples of a metric, or the step is
 *       younger than its {@code minDuration}, or a metric's point estimate is beyond its threshold without
 *       significant evidence. Missing data is never counted as failure;</li>
 *   <li><b>pause</b> for a person — when still holding {@code inconclusiveAfter} after the step began;</li>
 *   <li><b>promote</b> to the next step (or to 100% after the last) — when every enabled metric passed.</li>
 * </ul>
 * In a dry run the controller decides and records but never changes traffic.
 *
 * @param steps the canary's shares, increasing, each below 100%
 * @param maxErrorRateIncrease how much higher the canary's error rate may be, in absolute terms (0.01 = 1 point)
 * @param maxLatencyRatio how many times the baseline's latency the canary's may be (1.25 = 25% slower); compared
 *     at the 95th percentile in the evidence, tested on the whole distribution
 * @param maxGuardBlockRateIncrease how much higher the guard block rate may be, absolute; {@code null} disables
 * @param maxQualityDrop how much lower the mean quality score may be, absolute; {@code null} disables
 * @param maxCostRatio how many times the baseline's mean cost per call the canary's may be; {@code null} disables
 * @param confidence how sure the controller must be before it rolls back, in (0.5, 1)
 * @param evaluationInterval how often the controller evaluates as calls complete
 * @param inconclusiveAfter how long a step may hold before the controller pauses for a person
 * @param dryRun whether it only decides and records
 */
public record CanaryPlan(
    List<CanaryStep> steps, double maxErrorRateIncrease, double maxLatencyRatio,
    @Nullable Double maxGuardBlockRateIncrease, @Nullable Double maxQualityDrop, @Nullable Double maxCostRatio,
    double confidence, Duration evaluationInterval, Duration inconclusiveAfter, boolean dryRun) {

  /** Validates and copies. */
  public CanaryPlan {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a canary plan needs at least one step");
    }
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).percent() <= steps.get(i - 1).percent()) {
        throw new IllegalArgumentException("a canary plan's steps must increase but step " + (i + 1) + " ("
            + steps.get(i).percent() + "%) follows " + steps.get(i - 1).percent() + "%");
      }
    }
    if (!(maxErrorRateIncrease >= 0 && maxErrorRateIncrease < 1)) {
      throw new IllegalArgumentException("maxErrorRateIncrease must be within [0, 1) but was " + maxErrorRateIncrease);
    }
    if (!(maxLatencyRatio >= 1) || !Double.isFinite(maxLatencyRatio)) {
      throw new IllegalArgumentException("maxLatencyRatio must be at least 1 but was " + maxLatencyRatio);
    }
    if (maxGuardBlockRateIncrease != null && !(maxGuardBlockRateIncrease >= 0 && maxGuardBlockRateIncrease < 1)) {
      throw new IllegalArgumentException("maxGuardBlockRateIncrease must be within [0, 1) but was " + maxGuardBlockRateIncrease);
    }
    if (maxQualityDrop != null && !(maxQualityDrop >= 0) || maxQualityDrop != null && !Double.isFinite(maxQualityDrop)) {
      throw new IllegalArgumentException("maxQualityDrop must be 0 or more but was " + maxQualityDrop);
    }
    if (maxCostRatio != null && (!(maxCostRatio >= 1) || !Double.isFinite(maxCostRatio))) {
      throw new IllegalArgumentException("maxCostRatio must be at least 1 but was " + maxCostRatio);
    }
    if (!(confidence > 0.5 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be within (0.5, 1) but was " + confidence);
    }
    if (evaluationInterval.isNegative() || evaluationInterval.isZero()) {
      throw new IllegalArgumentException("evaluationInterval must be positive but was " + evaluationInterval);
    }
    if (inconclusiveAfter.compareTo(evaluationInterval) < 0) {
      throw new IllegalArgumentException("inconclusiveAfter (" + inconclusiveAfter
          + ") must be at least the evaluation interval (" + evaluationInterval + ")");
    }
    for (CanaryStep s : steps) {
      if (s.minDuration().compareTo(inconclusiveAfter) >= 0) {
        throw new IllegalArgumentException("a step's minimum duration (" + s.minDuration()
            + ") must be shorter than inconclusiveAfter (" + inconclusiveAfter + "), or every step would pause");
      }
    }
  }

  /**
   * Starts a plan: steps 1%, 5%, 25%, 50% of at least 5 minutes and 200 calls each; error rate at most 1 point
   * higher; latency at most 1.25 times; cost at most 1.25 times; 99% confidence; evaluated every 30 s; paused
   * after 1 hour without a decision.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code metric} is compared. */
  public boolean enabled(Metric metric) {
    return switch (metric) {
      case ERROR_RATE, LATENCY -> true;
      case GUARD_BLOCK_RATE -> maxGuardBlockRateIncrease != null;
      case QUALITY -> maxQualityDrop != null;
      case COST -> maxCostRatio != null;
    };
  }

  /** Builds a {@link CanaryPlan}. */
  public static final class Builder {
    private final List<CanaryStep> steps = new ArrayList<>();
    private double maxErrorRateIncrease = 0.01;
    private double maxLatencyRatio = 1.25;
    private @Nullable Double maxGuardBlockRateIncrease;
    private @Nullable Double maxQualityDrop;
    private @Nullable Double maxCostRatio = 1.25;
    private double confidence = 0.99;
    private Duration evaluationInterval = Duration.ofSeconds(30);
    private Duration inconclusiveAfter = Duration.ofHours(1);
    private boolean dryRun;

    private Builder() {}

    /** Adds a step. */
    public Builder step(double percent, Duration minDuration, long minSamples) {
      steps.add(new CanaryStep(percent, minDuration, minSamples));
      return this;
    }

    /** Adds steps at {@code percents}, each lasting at least {@code minDuration} and {@code minSamples} canary calls. */
    public Builder steps(Duration minDuration, long minSamples, double... percents) {
      for (double p : percents) {
        step(p, minDuration, minSamples);
      }
      return this;
    }

    /** The allowed absolute increase of the error rate (default 0.01). */
    public Builder maxErrorRateIncrease(double increase) {
      this.maxErrorRateIncrease = increase;
      return this;
    }

    /** The allowed latency ratio (default 1.25). */
    public Builder maxLatencyRatio(double ratio) {
      this.maxLatencyRatio = ratio;
      return this;
    }

    /** Compares guard block rates, allowing this absolute increase (default: not compared). */
    public Builder maxGuardBlockRateIncrease(@Nullable Double increase) {
      this.maxGuardBlockRateIncrease = increase;
      return this;
    }

    /** Compares quality scores, allowing this absolute drop of the mean (default: not compared). */
    public Builder maxQualityDrop(@Nullable Double drop) {
      this.maxQualityDrop = drop;
      return this;
    }

    /** The allowed ratio of mean cost per call, or {@code null} not to compare cost (default 1.25). */
    public Builder maxCostRatio(@Nullable Double ratio) {
      this.maxCostRatio = ratio;
      return this;
    }

    /** How sure the controller must be before it rolls back (default 0.99). */
    public Builder confidence(double confidence) {
      this.confidence = confidence;
      return this;
    }

    /** How often it evaluates (default 30 s). */
    public Builder evaluationInterval(Duration interval) {
      this.evaluationInterval = interval;
      return this;
    }

    /** How long a step may hold before it pauses for a person (default 1 h). */
    public Builder inconclusiveAfter(Duration deadline) {
      this.inconclusiveAfter = deadline;
      return this;
    }

    /** Decide and record, but never change traffic. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** The plan; the default steps when none were added. */
    public CanaryPlan build() {
      List<CanaryStep> chosen = steps.isEmpty()
          ? List.of(new CanaryStep(1, Duration.ofMinutes(5), 200), new CanaryStep(5, Duration.ofMinutes(5), 200),
              new CanaryStep(25, Duration.ofMinutes(5), 200), new CanaryStep(50, Duration.ofMinutes(5), 200))
          : steps;
      return new CanaryPlan(chosen, maxErrorRateIncrease, maxLatencyRatio, maxGuardBlockRateIncrease, maxQualityDrop,
          maxCostRatio, confidence, evaluationInterval, inconclusiveAfter, dryRun);
    }
  }
}
