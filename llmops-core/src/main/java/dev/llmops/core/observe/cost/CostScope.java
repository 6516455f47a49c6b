package dev.llmops.core.observe.cost;

/** What a cost total or threshold is kept per. */
public enum CostScope {
  /** Per route name. */
  ROUTE,
  /** Per tenant; calls without a tenant are not counted here. */
  TENANT,
  /** Everything together. */
  ALL
}
