package dev.llmops.core.prompt;

import dev.llmops.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A share of a label's traffic that goes to one version.
 *
 * @param version the version
 * @param weight the share in basis points: 10,000 is all of the traffic, 1,000 is 10%
 */
public record Allocation(int version, int weight) {

  /** All of the traffic, in basis points. */
  public static final int ALL = 10_000;

  /** Validates the fields. */
  public Allocation {
    if (version < 1) {
      throw new InvalidRequestException("an allocation needs a version from 1 but was " + version);
    }
    if (weight < 1 || weight > ALL) {
      throw new InvalidRequestException("an allocation's weight must be 1 to 10000 basis points but was " + weight);
    }
  }

  /** All of the traffic to {@code version}. */
  public static Allocation all(int version) {
    return new Allocation(version, ALL);
  }

  /** {@code percent} of the traffic (0.01 to 100, in steps of 0.01) to {@code version}. */
  public static Allocation percent(int version, double percent) {
    long basisPoints = Math.round(percent * 100);
    if (Math.abs(basisPoints - percent * 100) > 1e-6) {
      throw new InvalidRequestException("a share is given in steps of 0.01% but was " + percent + "%");
    }
    return new Allocation(version, (int) basisPoints);
  }

  /**
   * Checks a label's allocations and returns them in a canonical order (by version): at least one, each version
   * once, weights summing to 10,000.
   */
  public static List<Allocation> normalise(List<Allocation> allocations) {
    if (allocations.isEmpty()) {
      throw new InvalidRequestException("a label needs at least one version");
    }
    Set<Integer> versions = new HashSet<>();
    int total = 0;
    for (Allocation a : allocations) {
      if (!versions.add(a.version())) {
        throw new InvalidRequestException("version " + a.version() + " appears twice in the allocations " + allocations);
      }
      total += a.weight();
    }
    if (total != ALL) {
      throw new InvalidRequestException("allocations must add up to 100% but " + describe(allocations) + " add up to "
          + (total / 100.0) + "%");
    }
    List<Allocation> sorted = new ArrayList<>(allocations);
    sorted.sort(Comparator.comparingInt(Allocation::version));
    return List.copyOf(sorted);
  }

  /** Allocations as people write them: {@code v3 90% / v4 10%}. */
  public static String describe(List<Allocation> allocations) {
    if (allocations.isEmpty()) {
      return "(none)";
    }
    StringBuilder text = new StringBuilder();
    for (Allocation a : allocations) {
      if (text.length() > 0) {
        text.append(" / ");
      }
      text.append('v').append(a.version());
      if (a.weight() != ALL) {
        text.append(' ').append(a.weight() % 100 == 0 ? Integer.toString(a.weight() / 100) : Double.toString(a.weight() / 100.0))
            .append('%');
      }
    }
    return text.toString();
  }
}
