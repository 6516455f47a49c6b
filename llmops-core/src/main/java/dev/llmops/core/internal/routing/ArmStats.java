package dev.llmops.core.internal.routing;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The outcomes one side of a split collected in one window: tries and failures, latencies of answered calls
 * (a uniform reservoir sample once there are more than {@link #RESERVOIR}), guard outcomes, quality scores and
 * costs. Thread-safe; {@link #snapshot()} is a consistent copy.
 */
public final class ArmStats {

  /** The most latencies kept; beyond it a uniform sample of this size (Vitter's algorithm R, fixed seed). */
  public static final int RESERVOIR = 20_000;

  private long calls;
  private long tries;
  private long errors;
  private double[] latencies = new double[256];
  private long latencyCount;
  private final SplittableRandom reservoirRandom = new SplittableRandom(0x5eed);
  private long guardChecks;
  private long guardBlocks;
  private final Moments quality = new Moments();
  private final Moments cost = new Moments();

  /** Records tries of the side's deployments: {@code failures} of {@code count} failed against the deployment. */
  public synchronized void recordTries(int count, int failures) {
    tries += count;
    errors += failures;
  }

  /** Records a call that ended (answered or not). */
  public synchronized void recordCall() {
    calls++;
  }

  /** Records an answered call's latency and cost. */
  public synchronized void recordAnswer(double latencyMillis, double callCost) {
    latencyCount++;
    if (latencyCount <= RESERVOIR) {
      if (latencyCount > latencies.length) {
        latencies = Arrays.copyOf(latencies, Math.min(RESERVOIR, latencies.length * 2));
      }
      latencies[(int) latencyCount - 1] = latencyMillis;
    } else {
      long slot = reservoirRandom.nextLong(latencyCount);
      if (slot < RESERVOIR) {
        latencies[(int) slot] = latencyMillis;
      }
    }
    cost.add(callCost);
  }

  /** Records a guard outcome of an answer. */
  public synchronized void recordGuard(boolean blocked) {
    guardChecks++;
    if (blocked) {
      guardBlocks++;
    }
  }

  /** Records a quality score. */
  public synchronized void recordQuality(double score) {
    quality.add(score);
  }

  /** A consistent copy. */
  public synchronized Snapshot snapshot() {
    int kept = (int) Math.min(latencyCount, RESERVOIR);
    return new Snapshot(calls, tries, errors, Arrays.copyOf(latencies, kept), latencyCount, guardChecks, guardBlocks,
        quality.n, quality.mean, quality.variance(), cost.n, cost.mean, cost.variance());
  }

  /**
   * A copy of an arm's numbers.
   *
   * @param calls calls that ended
   * @param tries deployment tries
   * @param errors failed tries
   * @param latencies latencies of answered calls, ms (a sample when {@code latencyCount} exceeds the reservoir)
   * @param latencyCount answered calls
   * @param guardChecks guard outcomes reported
   * @param guardBlocks blocked ones
   * @param qualityCount quality scores
   * @param qualityMean their mean
   * @param qualityVariance their sample variance
   * @param costCount answered calls with a cost
   * @param costMean mean cost
   * @param costVariance sample variance of the cost
   */
  public record Snapshot(
      long calls, long tries, long errors, double[] latencies, long latencyCount, long guardChecks, long guardBlocks,
      long qualityCount, double qualityMean, double qualityVariance, long costCount, double costMean,
      double costVariance) {

    /** The error rate, NaN without tries. */
    public double errorRate() {
      return tries == 0 ? Double.NaN : (double) errors / tries;
    }

    /** The guard block rate, NaN without checks. */
    public double guardBlockRate() {
      return guardChecks == 0 ? Double.NaN : (double) guardBlocks / guardChecks;
    }
  }

  /** Welford's running mean and variance. */
  private static final class Moments {
    long n;
    double mean;
    double m2;

    void add(double x) {
      n++;
      double delta = x - mean;
      mean += delta / n;
      m2 += delta * (x - mean);
    }

    double variance() {
      return n < 2 ? Double.NaN : m2 / (n - 1);
    }
  }
}
