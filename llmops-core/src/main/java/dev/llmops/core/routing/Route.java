package dev.llmops.core.routing;

import dev.llmops.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A logical name callers use ({@code support-bot}) and where its traffic goes: releases with weights, how failures
 * are retried and where they fall back to, and the route's rate limits and budgets. Immutable; the router can
 * change a route's splits at run time ({@link Router#updateSplits}) and canaries and experiments override them
 * while they run.
 *
 * <pre>{@code
 * Route route = Route.builder("support-bot")
 *     .release("support-v7", 1)
 *     .retry(RetryPolicy.DEFAULT)
 *     .fallback(ErrorClass.CONTEXT_TOO_LONG, "gpt-4.1@openai")        // a model with a longer context
 *     .fallbacks("llama-3.1-8b@local")                                // when every deployment of the release failed
 *     .limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 600))
 *     .budget(Budget.dailyHardLimit(200.0))
 *     .build();
 * }</pre>
 *
 * @param name the route's name
 * @param splits the releases and their weights, each release once
 * @param retry how retriable failures are retried on one deployment
 * @param fallbacks for each error class, deployments to try (in order) once the release's own deployments failed
 *     with it
 * @param limits the rate limits
 * @param budgets the cost budgets
 * @param cache whether the router's response cache serves this route
 */
public record Route(
    String name, List<Split> splits, RetryPolicy retry, Map<ErrorClass, List<String>> fallbacks,
    List<RateLimit> limits, List<Budget> budgets, boolean cache) {

  /** Validates and copies. */
  public Route {
    Names.check("route", name);
    splits = List.copyOf(splits);
    if (splits.isEmpty()) {
      throw new InvalidRequestException("route '" + name + "' needs at least one release");
    }
    Set<String> seen = new HashSet<>();
    for (Split s : splits) {
      if (!seen.add(s.release())) {
        throw new InvalidRequestException("route '" + name + "' names release '" + s.release() + "' twice");
      }
    }
    Objects.requireNonNull(retry, "retry");
    EnumMap<ErrorClass, List<String>> copy = new EnumMap<>(ErrorClass.class);
    fallbacks.forEach((k, v) -> {
      if (k == ErrorClass.CANCELLED || k == ErrorClass.INVALID_REQUEST) {
        throw new InvalidRequestException("route '" + name + "' cannot fall back on " + k
            + ": that failure would repeat on any deployment");
      }
      copy.put(k, List.copyOf(v));
    });
    fallbacks = java.util.Collections.unmodifiableMap(copy);
    limits = List.copyOf(limits);
    budgets = List.copyOf(budgets);
  }

  /** Starts a route named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The deployments this route falls back to for {@code errorClass}; empty when none. */
  public List<String> fallbacksFor(ErrorClass errorClass) {
    return fallbacks.getOrDefault(errorClass, List.of());
  }

  /** Builds a {@link Route}. */
  public static final class Builder {
    private final String name;
    private final List<Split> splits = new ArrayList<>();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private final Map<ErrorClass, List<String>> fallbacks = new EnumMap<>(ErrorClass.class);
    private final List<RateLimit> limits = new ArrayList<>();
    private final List<Budget> budgets = new ArrayList<>();
    private boolean cache = true;

    private Builder(String name) {
      this.name = name;
    }

    /** Sends a share of the traffic to {@code release}; weights are relative (see {@link Split}). */
    public Builder release(String release, double weight) {
      splits.add(new Split(release, weight));
      return this;
    }

    /** How retriable failures are retried (default {@link RetryPolicy#DEFAULT}). */
    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    /** Deployments to try, in order, when the release's own deployments failed with {@code errorClass}. */
    public Builder fallback(ErrorClass errorClass, String... deployments) {
      fallbacks.computeIfAbsent(errorClass, k -> new ArrayList<>()).addAll(List.of(deployments));
      return this;
    }

    /**
     * Deployments to try, in order, when the release's own deployments all failed with a retriable error or
     * refused the call (the classes {@link ErrorClass#countsAgainstDeployment()} covers).
     */
    public Builder fallbacks(String... deployments) {
      for (ErrorClass c : ErrorClass.values()) {
        if (c.countsAgainstDeployment()) {
          fallback(c, deployments);
        }
      }
      return this;
    }

    /** Adds a rate limit. */
    public Builder limit(RateLimit limit) {
      limits.add(limit);
      return this;
    }

    /** Adds a budget. */
    public Builder budget(Budget budget) {
      budgets.add(budget);
      return this;
    }

    /** Whether the router's response cache serves this route (default true, when the router has a cache). */
    public Builder cache(boolean enabled) {
      this.cache = enabled;
      return this;
    }

    /** The route. */
    public Route build() {
      return new Route(name, splits, retry, fallbacks, limits, budgets, cache);
    }
  }
}
