package dev.llmops.guardrails.chain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The meters of one chain, built once: {@code llmops.guard.verdicts} (counter; tags policy, guard, stage,
 * outcome), {@code llmops.guard.duration} (timer; tags policy, guard, stage) and {@code llmops.guard.chain.verdicts}
 * (counter; tags policy, stage, outcome).
 */
final class GuardMeters {

  private final Map<String, Map<GuardOutcome, Counter>> verdicts = new HashMap<>();
  private final Map<String, Timer> timers = new HashMap<>();
  private final Map<Stage, Map<GuardOutcome, Counter>> chainVerdicts = new EnumMap<>(Stage.class);

  GuardMeters(MeterRegistry registry, String policy, Map<Stage, List<String>> guardsByStage) {
    for (Stage stage : Stage.values()) {
      String stageTag = stage.name().toLowerCase(Locale.ROOT);
      Map<GuardOutcome, Counter> byOutcome = new EnumMap<>(GuardOutcome.class);
      for (GuardOutcome outcome : GuardOutcome.values()) {
        byOutcome.put(outcome, Counter.builder("llmops.guard.chain.verdicts").description("Guard chain verdicts")
            .tag("policy", policy).tag("stage", stageTag).tag("outcome", outcome.tag()).register(registry));
      }
      chainVerdicts.put(stage, byOutcome);
      for (String guard : guardsByStage.getOrDefault(stage, List.of())) {
        Map<GuardOutcome, Counter> counters = new EnumMap<>(GuardOutcome.class);
        for (GuardOutcome outcome : GuardOutcome.values()) {
          counters.put(outcome, Counter.builder("llmops.guard.verdicts").description("Verdicts of one guard")
              .tag("policy", policy).tag("guard", guard).tag("stage", stageTag).tag("outcome", outcome.tag())
              .register(registry));
        }
        verdicts.put(key(stage, guard), counters);
        timers.put(key(stage, guard), Timer.builder("llmops.guard.duration").description("Time one guard took")
            .tag("policy", policy).tag("guard", guard).tag("stage", stageTag).register(registry));
      }
    }
  }

  /** Counts one guard run. */
  void guard(Stage stage, String guard, GuardOutcome outcome, Duration took) {
    Map<GuardOutcome, Counter> counters = verdicts.get(key(stage, guard));
    if (counters != null) {
      counters.get(outcome).increment();
      timers.get(key(stage, guard)).record(took);
    }
  }

  /** Counts one chain verdict. */
  void chain(Stage stage, GuardOutcome outcome) {
    chainVerdicts.get(stage).get(outcome).increment();
  }

  private static String key(Stage stage, String guard) {
    return stage.name() + '/' + guard;
  }
}
