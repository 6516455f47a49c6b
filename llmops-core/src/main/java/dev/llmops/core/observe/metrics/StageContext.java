package dev.llmops.core.observe.metrics;

import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * The {@link Observation.Context} of one pipeline stage: its stage and request, and the outcome the stage sets
 * while it runs (default {@link StageOutcome#SUCCESS}). Handlers and conventions read it.
 *
 * <p>One context belongs to one stage run; {@link #outcome(StageOutcome)} may be called from the thread running the
 * stage while handlers read from others (the field is volatile).
 */
public final class StageContext extends Observation.Context {

  private final PipelineStage stage;
  private final RequestTags request;
  private volatile StageOutcome outcome = StageOutcome.SUCCESS;

  /**
   * A context for a run of {@code stage} for {@code request}.
   *
   * @param stage the stage
   * @param request the request's id, route and release
   */
  public StageContext(PipelineStage stage, RequestTags request) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.request = Objects.requireNonNull(request, "request");
  }

  /** The stage. */
  public PipelineStage stage() {
    return stage;
  }

  /** The request. */
  public RequestTags request() {
    return request;
  }

  /** How the stage ended so far. */
  public StageOutcome outcome() {
    return outcome;
  }

  /** Sets how the stage ended (a guard that blocked, a cache hit); the last value set before it stops counts. */
  public void outcome(StageOutcome outcome) {
    this.outcome = Objects.requireNonNull(outcome, "outcome");
  }
}
