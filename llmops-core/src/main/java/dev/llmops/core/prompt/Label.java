package dev.llmops.core.prompt;

import dev.llmops.core.internal.Buckets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A label's current state: the version (or versions, for a traffic split) it points at.
 *
 * @param prompt the prompt's name
 * @param name the label, such as {@code production}
 * @param allocations the versions and their shares, ordered by version, adding up to 100%
 * @param revision how many times the label was moved; 1 after its first assignment. Moves name the revision they
 *     expect, so two concurrent moves from the same state cannot both win
 * @param updatedBy who moved it last
 * @param updatedAt when it was moved last
 */
public record Label(
    String prompt, String name, List<Allocation> allocations, long revision, String updatedBy, Instant updatedAt) {

  /** Validates and normalises. */
  public Label {
    PromptNames.checkPrompt(prompt);
    PromptNames.checkLabel(name);
    allocations = Allocation.normalise(allocations);
    if (revision < 1) {
      throw new IllegalArgumentException("a label's revision starts at 1 but was " + revision);
    }
    Objects.requireNonNull(updatedBy, "updatedBy");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether the label splits traffic between several versions. */
  public boolean isSplit() {
    return allocations.size() > 1;
  }

  /**
   * The version serving {@code unitId}: the unit's bucket ({@link Buckets}, keyed by prompt and label) falls in
   * one version's range, the ranges laid out in version order. The same unit always gets the same version while
   * the split is unchanged; with two versions, raising one's share only moves units into it.
   */
  public int versionFor(String unitId) {
    if (!isSplit()) {
      return allocations.get(0).version();
    }
    int bucket = Buckets.of(prompt + "/" + name, unitId);
    int upper = 0;
    for (Allocation a : allocations) {
      upper += a.weight();
      if (bucket < upper) {
        return a.version();
      }
    }
    return allocations.get(allocations.size() - 1).version();
  }

  /** The single version the label points at. */
  public int version() {
    if (isSplit()) {
      throw new dev.llmops.core.InvalidRequestException("label '" + name + "' of prompt '" + prompt + "' splits traffic ("
          + Allocation.describe(allocations) + "); resolve it with a unit id");
    }
    return allocations.get(0).version();
  }
}
