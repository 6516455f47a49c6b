package dev.llmops.core.routing.simulation;

import java.util.List;
import java.util.stream.LongStream;

/** Runs one scenario over many seeds; each run is single-threaded and independent, so runs may go side by side. */
final class Seeds {

  private Seeds() {}

  /** The reports of seeds 1 to {@code count}, in seed order. */
  static List<SimulationReport> run(String scenario, int count) {
    RouteSimulation simulation = RouteSimulation.parse(scenario, "test.json");
    return LongStream.rangeClosed(1, count).parallel().mapToObj(seed -> simulation.withSeed(seed).run()).toList();
  }

  /** The median of {@code values} (the lower middle one for an even count). */
  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }
}
