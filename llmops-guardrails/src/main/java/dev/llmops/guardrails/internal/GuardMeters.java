package dev.llmops.guardrails.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The meters of one chain, built once: {@code llmops.guard.verdicts} (counter; tags policy, guard, stage,
 * outcome), {@code llmops.guard.duration} (timer; tags policy, guard, stage) and {@code llmops.guard.chain.verdicts}
 * (counter; tags policy, stage, outcome).
 *
 * @param <S> the stage enum
 * @param <O> the outcome enum
 */
public final class GuardMeters<S extends Enum<S>, O extends Enum<O>> {

  private final Map<String, Map<O, Counter>> verdicts = new HashMap<>();
  private final Map<String, Timer> timers = new HashMap<>();
  private final Map<S, Map<O, Counter>> chainVerdicts;

  /**
   * Registers the meters.
   *
   * @param registry where to register
   * @param policy the policy name tag
   * @param guardsByStage for each stage, the names of its guards
   * @param stages the stage enum class
   * @param outcomes the outcome enum class
   */
  public GuardMeters(MeterRegistry registry, String policy, Map<S, java.util.List<String>> guardsByStage,
      Class<S> stages, Class<O> outcomes) {
    chainVerdicts = new EnumMap<>(stages);
    for (S stage : stages.getEnumConstants()) {
      String stageTag = tag(stage);
      Map<O, Counter> byOutcome = new EnumMap<>(outcomes);
      for (O outcome : outcomes.getEnumConstants()) {
        byOutcome.put(outcome, Counter.builder("llmops.guard.chain.verdicts").description("Guard chain verdicts")
            .tag("policy", policy).tag("stage", stageTag).tag("outcome", tag(outcome)).register(registry));
      }
      chainVerdicts.put(stage, byOutcome);
      for (String guard : guardsByStage.getOrDefault(stage, java.util.List.of())) {
        Map<O, Counter> counters = new EnumMap<>(outcomes);
        for (O outcome : outcomes.getEnumConstants()) {
          counters.put(outcome, Counter.builder("llmops.guard.verdicts").description("Verdicts of one guard")
              .tag("policy", policy).tag("guard", guard).tag("stage", stageTag).tag("outcome", tag(outcome))
              .register(registry));
        }
        verdicts.put(key(stage, guard), counters);
        timers.put(key(stage, guard), Timer.builder("llmops.guard.duration").description("Time one guard took")
            .tag("policy", policy).tag("guard", guard).tag("stage", stageTag).register(registry));
      }
    }
  }

  /** Counts one guard run. */
  public void guard(S stage, String guard, O outcome, Duration took) {
    Map<O, Counter> counters = verdicts.get(key(stage, guard));
    if (counters != null) {
      counters.get(outcome).increment();
      timers.get(key(stage, guard)).record(took);
    }
  }

  /** Counts one chain verdict. */
  public void chain(S stage, O outcome) {
    chainVerdicts.get(stage).get(outcome).increment();
  }

  private static String key(Enum<?> stage, String guard) {
    return stage.name() + '/' + guard;
  }

  private static String tag(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT);
  }
}
