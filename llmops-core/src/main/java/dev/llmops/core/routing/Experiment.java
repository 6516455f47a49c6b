package dev.llmops.core.routing;

import dev.llmops.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An A/B experiment on a route: its traffic split between releases (arms), each unit assigned deterministically —
 * the unit's bucket among 10,000 under the experiment's name — so a user sees the same arm on every call and every
 * instance. The first arm is the control the others are compared with. While it runs, the experiment's arms
 * replace the route's splits; every assignment is logged as an {@link Exposure}.
 *
 * @param name the experiment's name; part of the assignment key, so a new name reshuffles units
 * @param route the route it runs on
 * @param arms the arms: release and relative weight; the first is the control; at least two
 */
public record Experiment(String name, String route, List<Split> arms) {

  /** Validates and copies. */
  public Experiment {
    Names.check("experiment", name);
    Names.check("route", route);
    arms = List.copyOf(arms);
    if (arms.size() < 2) {
      throw new InvalidRequestException("experiment '" + name + "' needs at least two arms but has " + arms.size());
    }
    Set<String> seen = new HashSet<>();
    for (Split arm : arms) {
      if (!seen.add(arm.release())) {
        throw new InvalidRequestException("experiment '" + name + "' names release '" + arm.release() + "' twice");
      }
    }
  }

  /** Starts an experiment named {@code name} on {@code route}. */
  public static Builder builder(String name, String route) {
    return new Builder(name, route);
  }

  /** The control arm's release. */
  public String control() {
    return arms.get(0).release();
  }

  /** Builds an {@link Experiment}. */
  public static final class Builder {
    private final String name;
    private final String route;
    private final List<Split> arms = new ArrayList<>();

    private Builder(String name, String route) {
      this.name = name;
      this.route = route;
    }

    /** Adds an arm; the first added is the control. */
    public Builder arm(String release, double weight) {
      arms.add(new Split(release, weight));
      return this;
    }

    /** The experiment. */
    public Experiment build() {
      return new Experiment(name, route, arms);
    }
  }
}
