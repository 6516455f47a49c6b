package dev.llmops.core.observe.metrics;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.PolicyViolationException;
import dev.llmops.core.UnavailableException;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmOpsObservationsTest {

  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final LlmOpsObservations observations = LlmOpsObservations.create(registry);
  private final RequestTags tags = new RequestTags("req-1", "support-bot", "support-v8");

  @Test
  void aStageBecomesAnObservationWithLowAndHighCardinalityKeys() {
    List<String> chunks = observations.observe(PipelineStage.RETRIEVE, tags, stage -> {
      stage.outcome(StageOutcome.EMPTY);
      return List.of();
    });

    assertThat(chunks).isEmpty();
    assertThat(registry).hasSingleObservationThat()
        .hasNameEqualTo("llmops.pipeline.stage")
        .hasContextualNameEqualTo("llmops retrieve")
        .hasLowCardinalityKeyValue("stage", "retrieve")
        .hasLowCardinalityKeyValue("route", "support-bot")
        .hasLowCardinalityKeyValue("release", "support-v8")
        .hasLowCardinalityKeyValue("outcome", "empty")
        .hasHighCardinalityKeyValue("request.id", "req-1")
        .doesNotHaveLowCardinalityKeyValueWithKey("request.id")
        .doesNotHaveError()
        .hasBeenStarted()
        .hasBeenStopped();
  }

  @Test
  void stagesRunInsideARouteStageAreItsChildren() {
    observations.run(PipelineStage.ROUTE, tags, route -> {
      observations.run(PipelineStage.INPUT_GUARDS, tags, stage -> {});
      observations.observe(PipelineStage.MODEL, tags, stage -> "answer");
      observations.run(PipelineStage.OUTPUT_GUARDS, tags, stage -> stage.outcome(StageOutcome.REWRITTEN));
    });

    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("llmops.pipeline.stage", 4)
        .hasHandledContextsThatSatisfy(contexts -> {
          assertThat(contexts).extracting(Observation.Context::getContextualName).containsExactlyInAnyOrder(
              "llmops route", "llmops input_guards", "llmops model", "llmops output_guards");
          for (Observation.Context c : contexts) {
            StageContext stage = (StageContext) c;
            if (stage.stage() == PipelineStage.ROUTE) {
              assertThat(c.getParentObservation()).isNull();
            } else {
              assertThat(c.getParentObservation()).isNotNull();
              assertThat(c.getParentObservation().getContextView().getContextualName()).isEqualTo("llmops route");
            }
            assertThat(stage.outcome()).isEqualTo(stage.stage() == PipelineStage.OUTPUT_GUARDS
                ? StageOutcome.REWRITTEN : StageOutcome.SUCCESS);
          }
        })
        .hasAnObservation(o -> o.hasContextualNameEqualTo("llmops output_guards")
            .hasLowCardinalityKeyValue("outcome", "rewritten"));
  }

  @Test
  void aStageThatThrowsRecordsTheErrorAndTheExceptionPropagates() {
    UnavailableException down = new UnavailableException("index down");
    assertThatThrownBy(() -> observations.run(PipelineStage.RETRIEVE, new RequestTags("req-2", null, null), stage -> {
      throw down;
    })).isSameAs(down);
    PolicyViolationException blocked = new PolicyViolationException("injection");
    assertThatThrownBy(() -> observations.run(PipelineStage.INPUT_GUARDS, tags, stage -> {
      throw blocked;
    })).isSameAs(blocked);

    assertThat(registry)
        .hasAnObservation(o -> o.hasContextualNameEqualTo("llmops retrieve").hasError(down)
            .hasLowCardinalityKeyValue("outcome", "error")
            .hasLowCardinalityKeyValue("route", "none").hasLowCardinalityKeyValue("release", "none"))
        .hasAnObservation(o -> o.hasContextualNameEqualTo("llmops input_guards").hasError(blocked)
            .hasLowCardinalityKeyValue("outcome", "blocked"));
  }

  @Test
  void withMicrometersMeterHandlerEachStageIsATimerTaggedWithoutTheRequestId() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ObservationRegistry real = ObservationRegistry.create();
    real.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    LlmOpsObservations o = LlmOpsObservations.create(real);
    for (int i = 0; i < 3; i++) {
      o.run(PipelineStage.MODEL, new RequestTags("req-" + i, "support-bot", "support-v8"), stage -> {});
    }

    Timer timer = meters.get("llmops.pipeline.stage").tags("stage", "model", "route", "support-bot", "release",
        "support-v8", "outcome", "success").timer();
    assertThat(timer.count()).isEqualTo(3);
    assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("request.id")).isNull());
  }

  @Test
  void aCustomConventionRenamesAndANoopRegistryStillRunsTheWork() {
    StageObservationConvention custom = new StageObservationConvention() {
      @Override
      public String getName() {
        return "shop.assistant.stage";
      }

      @Override
      public KeyValues getLowCardinalityKeyValues(StageContext context) {
        return StageObservationConvention.super.getLowCardinalityKeyValues(context).and("app", "shop");
      }
    };
    LlmOpsObservations.create(registry, custom).run(PipelineStage.MODEL, tags, stage -> {});
    assertThat(registry).hasSingleObservationThat().hasNameEqualTo("shop.assistant.stage")
        .hasLowCardinalityKeyValue("app", "shop").hasLowCardinalityKeyValue("stage", "model");

    String answer = LlmOpsObservations.create(ObservationRegistry.NOOP).observe(PipelineStage.MODEL, tags, stage -> {
      stage.outcome(StageOutcome.CACHED);
      return "answer";
    });
    assertThat(answer).isEqualTo("answer");
    Observation manual = observations.observation(PipelineStage.MODEL, tags);
    assertThat(manual.getContext()).isInstanceOf(StageContext.class);
  }
}
