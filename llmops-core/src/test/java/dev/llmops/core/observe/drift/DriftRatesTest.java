package dev.llmops.core.observe.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The monitor's error rates, measured over 200 seeds: how often it alarms when nothing changed (false alarms, at
 * most 5% per metric), and how often it alarms on a real shift (at least 95%). Every seed draws fresh topic centres,
 * a fresh reference of 1000 requests and a fresh window of 500.
 */
class DriftRatesTest {

  private static final int SEEDS = 200;
  private static final int REFERENCE = 1000;
  private static final int WINDOW = 500;
  private static final double NOISE = 1.0;

  private final DriftMonitor monitor = DriftMonitor.builder().build();

  @Test
  void sameTopicMixRarelyAlarmsAndTheChiSquareTestKeepsItsLevel() {
    int alarms = 0;
    int rejections = 0;
    double maxPsi = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Traffic traffic = new Traffic(seed);
      SplittableRandom random = new SplittableRandom(1000L + seed);
      DriftCheck check = only(monitor.compare(traffic.inputs(REFERENCE, Traffic.uniform(), NOISE, random),
          traffic.inputs(WINDOW, Traffic.uniform(), NOISE, random)), DriftMetric.INPUT_EMBEDDING);
      alarms += check.drifted() ? 1 : 0;
      rejections += check.pValue() < 0.05 ? 1 : 0;
      maxPsi = Math.max(maxPsi, check.statistic());
    }
    System.out.printf("input, same mix: alarms %d/%d, chi-square p < 0.05 in %d/%d, largest PSI %.3f%n", alarms,
        SEEDS, rejections, SEEDS, maxPsi);
    assertThat(alarms).isLessThanOrEqualTo(SEEDS * 5 / 100);
    // The test alone, without the PSI threshold: clusters fitted on the reference must not make it anti-conservative.
    assertThat(rejections).isLessThanOrEqualTo(SEEDS * 8 / 100);
  }

  @Test
  void oneTopicGrowingFromTenToFortyPercentAlarms() {
    int alarms = 0;
    double minPsi = Double.POSITIVE_INFINITY;
    double sumPsi = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Traffic traffic = new Traffic(seed);
      SplittableRandom random = new SplittableRandom(5000L + seed);
      DriftCheck check = only(monitor.compare(traffic.inputs(REFERENCE, Traffic.uniform(), NOISE, random),
          traffic.inputs(WINDOW, Traffic.boosted(0.4), NOISE, random)), DriftMetric.INPUT_EMBEDDING);
      alarms += check.drifted() ? 1 : 0;
      minPsi = Math.min(minPsi, check.statistic());
      sumPsi += check.statistic();
    }
    System.out.printf("input, topic 0 at 40%%: alarms %d/%d, PSI mean %.3f, smallest %.3f%n", alarms, SEEDS,
        sumPsi / SEEDS, minPsi);
    assertThat(alarms).isGreaterThanOrEqualTo(SEEDS * 95 / 100);
  }

  @Test
  void sameOutputsRarelyAlarm() {
    Map<DriftMetric, Integer> alarms = new EnumMap<>(DriftMetric.class);
    for (int seed = 0; seed < SEEDS; seed++) {
      SplittableRandom random = new SplittableRandom(9000L + seed);
      List<DriftCheck> checks = monitor.compare(Traffic.outputs(REFERENCE, 0.05, 0.85, 400, random),
          Traffic.outputs(WINDOW, 0.05, 0.85, 400, random));
      assertThat(checks).extracting(DriftCheck::metric).containsExactly(DriftMetric.GUARD_BLOCK_RATE,
          DriftMetric.GROUNDED_FRACTION, DriftMetric.ANSWER_LENGTH);
      for (DriftCheck check : checks) {
        alarms.merge(check.metric(), check.drifted() ? 1 : 0, Integer::sum);
      }
    }
    System.out.println("outputs, unchanged: alarms " + alarms + " of " + SEEDS);
    assertThat(alarms.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(SEEDS * 5 / 100));
  }

  @Test
  void shiftedOutputsAlarmEachOnItsOwnMetric() {
    Map<DriftMetric, Integer> alarms = new EnumMap<>(DriftMetric.class);
    Map<DriftMetric, Integer> crossAlarms = new EnumMap<>(DriftMetric.class);
    for (int seed = 0; seed < SEEDS; seed++) {
      SplittableRandom random = new SplittableRandom(13000L + seed);
      List<DriftSample> reference = Traffic.outputs(REFERENCE, 0.05, 0.85, 400, random);
      // One change at a time: the block rate 5% -> 12%, grounded claims 85% -> 72%, median length 400 -> 600.
      count(monitor.compare(reference, Traffic.outputs(WINDOW, 0.12, 0.85, 400, random)),
          DriftMetric.GUARD_BLOCK_RATE, alarms, crossAlarms);
      count(monitor.compare(reference, Traffic.outputs(WINDOW, 0.05, 0.72, 400, random)),
          DriftMetric.GROUNDED_FRACTION, alarms, crossAlarms);
      count(monitor.compare(reference, Traffic.outputs(WINDOW, 0.05, 0.85, 600, random)),
          DriftMetric.ANSWER_LENGTH, alarms, crossAlarms);
    }
    System.out.println("outputs, shifted: alarms " + alarms + ", on an unchanged metric " + crossAlarms + " of "
        + SEEDS);
    assertThat(alarms).hasSize(3);
    assertThat(alarms.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(SEEDS * 95 / 100));
    // The unchanged metrics of those windows (two per window) still hold their false-alarm rate.
    assertThat(crossAlarms.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2 * SEEDS * 5 / 100));
  }

  private static void count(List<DriftCheck> checks, DriftMetric shifted, Map<DriftMetric, Integer> alarms,
      Map<DriftMetric, Integer> crossAlarms) {
    for (DriftCheck check : checks) {
      if (check.metric() == shifted) {
        alarms.merge(shifted, check.drifted() ? 1 : 0, Integer::sum);
      } else {
        crossAlarms.merge(check.metric(), check.drifted() ? 1 : 0, Integer::sum);
      }
    }
  }

  private static DriftCheck only(List<DriftCheck> checks, DriftMetric metric) {
    assertThat(checks).extracting(DriftCheck::metric).containsExactly(metric);
    return checks.get(0);
  }
}
