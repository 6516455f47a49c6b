package dev.llmops.core.internal.routing;

import dev.llmops.core.internal.Buckets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How a route's traffic is split at one moment: arms laid over the 10,000 buckets of {@link Buckets} in order, each
 * with the statistics its calls feed. Immutable; a change of weights is a new allocation.
 *
 * <p>A unit's bucket depends only on the key and the unit, and arms take contiguous ranges in their order, so
 * moving weight between two adjacent arms moves units only between those two: growing a canary (the first arm)
 * moves units from the baseline to it, never the other way, and a unit that saw the canary keeps seeing it.
 *
 * @param key the assignment key (route, canary or experiment)
 * @param kind {@code "route"}, {@code "canary"} or {@code "experiment"}
 * @param arms the arms, covering all 10,000 buckets in order
 */
public record Allocation(String key, String kind, List<Arm> arms) {

  /** Copies the arms. */
  public Allocation {
    arms = List.copyOf(arms);
  }

  /**
   * An allocation over {@code weights} (relative, positive), normalised to buckets by the largest-remainder method
   * so that every arm with a positive weight gets its fair share and the shares add up to exactly 10,000.
   */
  public static Allocation of(String key, String kind, List<String> labels, List<String> releases, double[] weights) {
    int n = weights.length;
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    int[] buckets = new int[n];
    double[] remainder = new double[n];
    int given = 0;
    for (int i = 0; i < n; i++) {
      double exact = weights[i] / total * Buckets.COUNT;
      buckets[i] = (int) Math.floor(exact);
      remainder[i] = exact - buckets[i];
      given += buckets[i];
    }
    while (given < Buckets.COUNT) {
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (remainder[i] > remainder[best]) {
          best = i;
        }
      }
      buckets[best]++;
      remainder[best] = -1;
      given++;
    }
    List<Arm> arms = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < n; i++) {
      arms.add(new Arm(labels.get(i), releases.get(i), from, from + buckets[i], new ArmStats()));
      from += buckets[i];
    }
    return new Allocation(key, kind, arms);
  }

  /**
   * The arm serving {@code unit}: its bucket under the key, or a random bucket when there is no unit.
   *
   * @param unit the unit, or {@code null}
   * @param randomBucket draws a bucket in [0, 10000) for calls without a unit
   */
  public Arm assign(@Nullable String unit, IntSupplier randomBucket) {
    int bucket = unit == null ? randomBucket.getAsInt() : Buckets.of(key, unit);
    for (Arm arm : arms) {
      if (bucket < arm.to()) {
        return arm;
      }
    }
    return arms.get(arms.size() - 1);
  }

  /** The arm labelled {@code label}, or {@code null}. */
  public @Nullable Arm arm(String label) {
    for (Arm arm : arms) {
      if (arm.label().equals(label)) {
        return arm;
      }
    }
    return null;
  }

  /**
   * One side of a split.
   *
   * @param label {@code "route"}, {@code "baseline"}, {@code "canary"} or the experiment arm's release
   * @param release the release it serves
   * @param from its first bucket
   * @param to one past its last bucket
   * @param stats what its calls produced in this allocation's window
   */
  public record Arm(String label, String release, int from, int to, ArmStats stats) {

    /** Its share of the traffic in percent. */
    public double percent() {
      return (to - from) / (Buckets.COUNT / 100.0);
    }
  }
}
