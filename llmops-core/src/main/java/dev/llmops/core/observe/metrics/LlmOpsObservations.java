package dev.llmops.core.observe.metrics;

import dev.llmops.core.PolicyViolationException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Wraps each pipeline stage in a Micrometer {@link Observation}, so that one registry gives a timer per stage (with
 * Micrometer's meter handler) and a span per stage under the request's span (with micrometer-tracing), keyed by
 * {@code stage}, {@code route}, {@code release} and {@code outcome}, and with the request id on spans only (see
 * {@link StageObservationConvention}).
 *
 * <pre>{@code
 * LlmOpsObservations observations = LlmOpsObservations.create(observationRegistry);
 * RequestTags tags = new RequestTags(requestId, "support-bot", "support-v8");
 * List<RetrievedChunk> chunks = observations.observe(PipelineStage.RETRIEVE, tags, stage -> {
 *   List<RetrievedChunk> found = retriever.retrieve(query);
 *   if (found.isEmpty()) {
 *     stage.outcome(StageOutcome.EMPTY);
 *   }
 *   return found;
 * });
 * }</pre>
 *
 * <p>The work runs with the stage's observation in scope, so observations it starts (an HTTP client's, a nested
 * stage's) become its children. A work that throws marks the observation with the error and the outcome
 * {@link StageOutcome#ERROR} ({@link StageOutcome#BLOCKED} for a {@link PolicyViolationException}), and the
 * exception propagates unchanged.
 *
 * <p>Immutable and thread-safe; create one per registry and share it.
 */
public final class LlmOpsObservations {

  private final ObservationRegistry registry;
  private final @Nullable StageObservationConvention custom;

  private LlmOpsObservations(ObservationRegistry registry, @Nullable StageObservationConvention custom) {
    this.registry = registry;
    this.custom = custom;
  }

  /** Observations in {@code registry} with the {@link StageObservationConvention#DEFAULT default convention}. */
  public static LlmOpsObservations create(ObservationRegistry registry) {
    return new LlmOpsObservations(Objects.requireNonNull(registry, "registry"), null);
  }

  /**
   * Observations in {@code registry} with {@code convention} in place of the default (a registry's global
   * conventions still take precedence over the default, as Micrometer orders them).
   */
  public static LlmOpsObservations create(ObservationRegistry registry, StageObservationConvention convention) {
    return new LlmOpsObservations(Objects.requireNonNull(registry, "registry"),
        Objects.requireNonNull(convention, "convention"));
  }

  /**
   * Runs {@code work} as an observed stage and returns its result.
   *
   * @param stage the stage
   * @param request the request it runs for
   * @param work the stage's work; it may set the outcome on the context it is given
   * @return what the work returned
   */
  public <T> T observe(PipelineStage stage, RequestTags request, Function<StageContext, T> work) {
    StageContext context = new StageContext(stage, request);
    Observation observation = create(context).start();
    Observation.Scope scope = observation.openScope();
    try {
      return work.apply(context);
    } catch (RuntimeException | Error e) {
      context.outcome(e instanceof PolicyViolationException ? StageOutcome.BLOCKED : StageOutcome.ERROR);
      observation.error(e);
      throw e;
    } finally {
      scope.close();
      observation.stop();
    }
  }

  /**
   * Runs {@code work} as an observed stage.
   *
   * @param stage the stage
   * @param request the request it runs for
   * @param work the stage's work; it may set the outcome on the context it is given
   */
  public void run(PipelineStage stage, RequestTags request, Consumer<StageContext> work) {
    observe(stage, request, context -> {
      work.accept(context);
      return null;
    });
  }

  /**
   * A stage observation not yet started, for work that does not fit in a call (a stream consumed later): the
   * caller starts it, sets the outcome on its {@link StageContext} ({@code (StageContext) observation.getContext()}
   * unless the registry is a no-op) and stops it.
   */
  public Observation observation(PipelineStage stage, RequestTags request) {
    return create(new StageContext(stage, request));
  }

  private Observation create(StageContext context) {
    return Observation.createNotStarted(custom, StageObservationConvention.DEFAULT, () -> context, registry);
  }
}
