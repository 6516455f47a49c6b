package dev.llmops.core.observe.metrics;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of pipeline stage observations. Implement it to rename or add keys and pass it to
 * {@link LlmOpsObservations#create(io.micrometer.observation.ObservationRegistry, StageObservationConvention)};
 * {@link #DEFAULT} is the built-in one:
 *
 * <ul>
 *   <li>name {@code llmops.pipeline.stage} (with Micrometer's meter handler, a timer of that name);</li>
 *   <li>contextual name (the span name) {@code llmops <stage>}, e.g. {@code llmops retrieve};</li>
 *   <li>low-cardinality keys {@code stage}, {@code route}, {@code release} and {@code outcome} ({@code none} for a
 *       missing route or release);</li>
 *   <li>high-cardinality key {@code request.id}.</li>
 * </ul>
 */
public interface StageObservationConvention extends ObservationConvention<StageContext> {

  /** The built-in convention. */
  StageObservationConvention DEFAULT = new StageObservationConvention() {};

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof StageContext;
  }

  @Override
  default String getName() {
    return "llmops.pipeline.stage";
  }

  @Override
  default String getContextualName(StageContext context) {
    return "llmops " + context.stage().tagValue();
  }

  @Override
  default KeyValues getLowCardinalityKeyValues(StageContext context) {
    RequestTags request = context.request();
    return KeyValues.of("stage", context.stage().tagValue(),
        "route", request.route() == null ? "none" : request.route(),
        "release", request.release() == null ? "none" : request.release(),
        "outcome", context.outcome().tagValue());
  }

  @Override
  default KeyValues getHighCardinalityKeyValues(StageContext context) {
    return KeyValues.of("request.id", context.request().requestId());
  }
}
