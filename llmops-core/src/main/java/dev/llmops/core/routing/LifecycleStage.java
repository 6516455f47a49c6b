package dev.llmops.core.routing;

/**
 * Where a {@link Deployment} is in its life. A deployment moves forward through the stages; the only step back is
 * from {@link #DEPRECATED} to {@link #PRODUCTION} (a deprecation withdrawn). Every non-retired stage may serve
 * traffic: the stage tells operators what the deployment is for, the router enforces only that a
 * {@link #RETIRED} one serves nothing and warns when a {@link #DEPRECATED} one does.
 */
public enum LifecycleStage {
  /** Known to the router, not yet tried. */
  REGISTERED,
  /** Being tried: canaries, experiments, shadow tests. */
  STAGING,
  /** Serving production traffic. */
  PRODUCTION,
  /** Still serving, but on its way out: the router logs a warning the first time each route uses it. */
  DEPRECATED,
  /** Serves nothing. A deployment that a route still uses cannot be retired. */
  RETIRED;

  /** Whether a deployment may move from this stage to {@code next}. */
  public boolean canMoveTo(LifecycleStage next) {
    return next.ordinal() > ordinal() && this != RETIRED || this == DEPRECATED && next == PRODUCTION;
  }
}
