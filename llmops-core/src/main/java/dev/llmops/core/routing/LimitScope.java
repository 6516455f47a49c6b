package dev.llmops.core.routing;

/**
 * Whose traffic a {@link RateLimit} or {@link Budget} counts. Every limit belongs to one route; the scope says
 * whether the route's traffic is counted as a whole, per tenant, or per API key.
 */
public enum LimitScope {
  /** All of the route's traffic together. */
  ROUTE,
  /** Each tenant ({@link RouteRequest#tenant()}) separately; requests without a tenant count as tenant {@code "-"}. */
  TENANT,
  /** Each API key ({@link RouteRequest#apiKey()}) separately, keyed by a hash: the key itself is never stored. */
  API_KEY
}
