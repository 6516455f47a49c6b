package dev.llmops.core.routing;

import dev.llmops.core.internal.routing.Allocation;
import dev.llmops.core.internal.routing.ArmStats;
import dev.llmops.core.internal.routing.Stats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link ExperimentReport}s from an experiment's arm statistics. */
final class ExperimentAnalysis {

  private ExperimentAnalysis() {}

  static ExperimentReport report(Experiment experiment, Instant started, Instant now, Allocation allocation,
      double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be within (0, 1) but was " + confidence);
    }
    List<ArmSummary> arms = new ArrayList<>();
    List<ArmStats.Snapshot> snapshots = new ArrayList<>();
    for (Allocation.Arm arm : allocation.arms()) {
      ArmStats.Snapshot s = arm.stats().snapshot();
      snapshots.add(s);
      arms.add(new ArmSummary(arm.release(), s.calls(), s.tries(), s.errors(), s.errorRate(),
          s.latencies().length == 0 ? Double.NaN : Stats.quantile(s.latencies(), 0.5),
          s.latencies().length == 0 ? Double.NaN : Stats.quantile(s.latencies(), 0.95), s.guardChecks(),
          s.guardBlocks(), s.qualityCount(), s.qualityCount() == 0 ? Double.NaN : s.qualityMean(),
          s.costCount() == 0 ? Double.NaN : s.costMean()));
    }
    List<MetricComparison> comparisons = new ArrayList<>();
    ArmStats.Snapshot control = snapshots.get(0);
    String controlName = arms.get(0).arm();
    double alpha = 1 - confidence;
    for (int i = 1; i < snapshots.size(); i++) {
      ArmStats.Snapshot a = snapshots.get(i);
      String name = arms.get(i).arm();
      if (a.tries() >= 2 && control.tries() >= 2) {
        comparisons.add(rate(Metric.ERROR_RATE, name, controlName, a.errors(), a.tries(), control.errors(),
            control.tries(), confidence, alpha));
      }
      if (a.guardChecks() >= 2 && control.guardChecks() >= 2) {
        comparisons.add(rate(Metric.GUARD_BLOCK_RATE, name, controlName, a.guardBlocks(), a.guardChecks(),
            control.guardBlocks(), control.guardChecks(), confidence, alpha));
      }
      if (a.qualityCount() >= 2 && control.qualityCount() >= 2) {
        comparisons.add(mean(Metric.QUALITY, name, controlName, a.qualityMean(), a.qualityVariance(), a.qualityCount(),
            control.qualityMean(), control.qualityVariance(), control.qualityCount(), confidence, alpha));
      }
      if (a.costCount() >= 2 && control.costCount() >= 2) {
        comparisons.add(mean(Metric.COST, name, controlName, a.costMean(), a.costVariance(), a.costCount(),
            control.costMean(), control.costVariance(), control.costCount(), confidence, alpha));
      }
      if (a.latencies().length >= 2 && control.latencies().length >= 2) {
        double[] x = a.latencies();
        double[] y = control.latencies();
        comparisons.add(mean(Metric.LATENCY, name, controlName, mean(x), variance(x), x.length, mean(y), variance(y),
            y.length, confidence, alpha));
      }
    }
    return new ExperimentReport(experiment, started, now, confidence, arms, comparisons);
  }

  private static MetricComparison rate(Metric metric, String arm, String control, long ax, long an, long cx, long cn,
      double confidence, double alpha) {
    Stats.Comparison c = Stats.twoProportionsTwoSided(ax, an, cx, cn, confidence);
    return new MetricComparison(metric, arm, control, (double) ax / an, (double) cx / cn, c.difference(), c.lower(),
        c.upper(), c.pValue(), c.pValue() < alpha);
  }

  private static MetricComparison mean(Metric metric, String arm, String control, double am, double av, long an,
      double cm, double cv, long cn, double confidence, double alpha) {
    Stats.Comparison c = Stats.welch(am, av, an, cm, cv, cn, 0, true, confidence);
    return new MetricComparison(metric, arm, control, am, cm, c.difference(), c.lower(), c.upper(), c.pValue(),
        c.pValue() < alpha);
  }

  private static double mean(double[] x) {
    double sum = 0;
    for (double v : x) {
      sum += v;
    }
    return sum / x.length;
  }

  private static double variance(double[] x) {
    double m = mean(x);
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    return ss / (x.length - 1);
  }
}
