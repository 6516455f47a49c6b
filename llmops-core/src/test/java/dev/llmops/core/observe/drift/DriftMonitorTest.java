package dev.llmops.core.observe.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The monitor's windows, events and errors. */
class DriftMonitorTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  /** A clock that moves only when told to. */
  static final class ManualClock extends Clock {
    private final AtomicLong nanos = new AtomicLong();

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    @Override
    public Instant instant() {
      return START.plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final List<DriftEvent> events = Collections.synchronizedList(new ArrayList<>());

  @Test
  void countWindowsTakeTheFirstAsReferenceAndReportDriftWhenAWindowFills() {
    DriftMonitor monitor = DriftMonitor.builder().window(200).clock(clock).listener(events::add).build();
    SplittableRandom random = new SplittableRandom(1);
    List<DriftSample> reference = Traffic.outputs(200, 0.05, 0.85, 400, random);
    for (DriftSample s : reference) {
      assertThat(monitor.record(s)).isEmpty();
    }
    assertThat(monitor.hasReference()).isTrue();

    List<DriftSample> blocked = Traffic.outputs(200, 0.40, 0.85, 400, random);
    clock.advance(Duration.ofMinutes(5));
    List<DriftCheck> checks = List.of();
    for (int i = 0; i < blocked.size(); i++) {
      checks = monitor.record(blocked.get(i));
      if (i < blocked.size() - 1) {
        assertThat(checks).isEmpty();
      }
    }
    assertThat(checks).extracting(DriftCheck::metric).contains(DriftMetric.GUARD_BLOCK_RATE);
    assertThat(monitor.lastChecks()).isEqualTo(checks);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.metric()).isEqualTo(DriftMetric.GUARD_BLOCK_RATE);
      assertThat(e.statistic()).isGreaterThan(e.threshold());
      assertThat(e.pValue()).isLessThan(0.01);
      assertThat(e.referenceSize()).isEqualTo(200);
      assertThat(e.currentSize()).isEqualTo(200);
      assertThat(e.time()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    });
  }

  @Test
  void timeWindowsCloseOnTheFirstCallAfterTheirEnd() {
    DriftMonitor monitor = DriftMonitor.builder().window(Duration.ofMinutes(10)).clock(clock).listener(events::add)
        .build();
    SplittableRandom random = new SplittableRandom(2);
    for (DriftSample s : Traffic.outputs(300, 0.05, 0.85, 400, random)) {
      monitor.record(s);
    }
    assertThat(monitor.hasReference()).isFalse();
    clock.advance(Duration.ofMinutes(10));
    List<DriftSample> shifted = Traffic.outputs(300, 0.05, 0.85, 900, random);
    assertThat(monitor.record(shifted.get(0))).isEmpty(); // closed the reference; this sample opens the window
    assertThat(monitor.hasReference()).isTrue();
    for (DriftSample s : shifted.subList(1, shifted.size())) {
      assertThat(monitor.record(s)).isEmpty();
    }
    clock.advance(Duration.ofMinutes(9));
    assertThat(monitor.tick()).isEmpty(); // not yet: the window opened at minute 10
    clock.advance(Duration.ofMinutes(1));
    List<DriftCheck> checks = monitor.tick();
    assertThat(checks).extracting(DriftCheck::metric).containsExactly(DriftMetric.GUARD_BLOCK_RATE,
        DriftMetric.GROUNDED_FRACTION, DriftMetric.ANSWER_LENGTH);
    assertThat(events).extracting(DriftEvent::metric).containsExactly(DriftMetric.ANSWER_LENGTH);
    assertThat(events.get(0).time()).isEqualTo(START.plus(Duration.ofMinutes(20)));
    assertThat(monitor.tick()).isEmpty(); // an empty window closes without checks
  }

  @Test
  void aTimeWindowKeepsAUniformSampleOfAtMostMaxWindowSamples() {
    DriftMonitor monitor = DriftMonitor.builder().window(Duration.ofMinutes(1)).maxWindowSamples(100).clock(clock)
        .reference(Traffic.outputs(500, 0.05, 0.85, 400, new SplittableRandom(3))).build();
    for (DriftSample s : Traffic.outputs(5000, 0.05, 0.85, 400, new SplittableRandom(4))) {
      monitor.record(s);
    }
    clock.advance(Duration.ofMinutes(1));
    List<DriftCheck> checks = monitor.tick();
    assertThat(checks).isNotEmpty();
    DriftCheck block = checks.get(0);
    assertThat(block.metric()).isEqualTo(DriftMetric.GUARD_BLOCK_RATE);
    assertThat(block.referenceSize()).isEqualTo(500);
    assertThat(block.currentSize()).isEqualTo(100);
  }

  @Test
  void aGivenReferenceChecksTheFirstWindowAndInputDriftIsReported() {
    Traffic traffic = new Traffic(11);
    SplittableRandom random = new SplittableRandom(12);
    DriftMonitor monitor = DriftMonitor.builder().window(500).clock(clock).listener(events::add)
        .reference(traffic.inputs(1000, Traffic.uniform(), 1.0, random)).build();
    assertThat(monitor.hasReference()).isTrue();
    List<DriftCheck> checks = List.of();
    for (DriftSample s : traffic.inputs(500, Traffic.boosted(0.5), 1.0, random)) {
      checks = monitor.record(s);
    }
    assertThat(checks).singleElement().satisfies(c -> {
      assertThat(c.metric()).isEqualTo(DriftMetric.INPUT_EMBEDDING);
      assertThat(c.drifted()).isTrue();
      assertThat(c.threshold()).isEqualTo(0.2);
    });
    assertThat(events).extracting(DriftEvent::metric).containsExactly(DriftMetric.INPUT_EMBEDDING);
  }

  @Test
  void metricsWithTooFewSamplesAreLeftOutAndResetReferenceStartsOver() {
    DriftMonitor monitor = DriftMonitor.builder().window(40).minSamples(30).clock(clock).build();
    SplittableRandom random = new SplittableRandom(5);
    List<DriftSample> reference = new ArrayList<>(Traffic.outputs(40, 0.05, 0.85, 400, random));
    reference.subList(0, 20).replaceAll(s -> DriftSample.output(false, null, null)); // grounded, length: 20 or fewer
    reference.forEach(monitor::record);
    List<DriftCheck> checks = List.of();
    for (DriftSample s : Traffic.outputs(40, 0.05, 0.85, 400, random)) {
      checks = monitor.record(s);
    }
    assertThat(checks).extracting(DriftCheck::metric).containsExactly(DriftMetric.GUARD_BLOCK_RATE);

    monitor.resetReference();
    assertThat(monitor.hasReference()).isFalse();
    for (DriftSample s : Traffic.outputs(40, 0.05, 0.85, 400, random)) {
      assertThat(monitor.record(s)).isEmpty();
    }
    assertThat(monitor.hasReference()).isTrue();
  }

  @Test
  void aFailingListenerDoesNotStopTheOthersOrTheCaller() {
    List<DriftEvent> second = new ArrayList<>();
    DriftMonitor monitor = DriftMonitor.builder().window(100).clock(clock)
        .listener(e -> { throw new IllegalStateException("listener down"); }).listener(second::add).build();
    SplittableRandom random = new SplittableRandom(6);
    Traffic.outputs(100, 0.05, 0.85, 400, random).forEach(monitor::record);
    List<DriftCheck> checks = List.of();
    for (DriftSample s : Traffic.outputs(100, 0.6, 0.85, 400, random)) {
      checks = monitor.record(s);
    }
    assertThat(checks).isNotEmpty();
    assertThat(second).extracting(DriftEvent::metric).contains(DriftMetric.GUARD_BLOCK_RATE);
  }

  @Test
  void badInputIsRejectedWithTheValue() {
    DriftMonitor monitor = DriftMonitor.builder().build();
    monitor.record(DriftSample.input(new float[] {1, 2, 3}));
    assertThatThrownBy(() -> monitor.record(DriftSample.input(new float[] {1, 2})))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("dimension 2, earlier ones have 3");
    assertThatThrownBy(() -> DriftSample.input(new float[] {1, Float.NaN}))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("embedding[1]");
    assertThatThrownBy(() -> DriftSample.output(false, 1.5, null)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> DriftSample.output(false, null, -1)).hasMessageContaining("-1");
    assertThatThrownBy(() -> DriftMonitor.builder().clusters(1)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("clusters must be at least 2, was 1");
    assertThatThrownBy(() -> DriftMonitor.builder().alpha(1)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> DriftMonitor.builder().window(Duration.ZERO)).hasMessageContaining("PT0S");
  }

  @Test
  void samplesAreImmutableAndCompareByContent() {
    float[] v = {1, 2};
    DriftSample s = DriftSample.input(v);
    v[0] = 9;
    float[] out = s.embedding();
    assertThat(out).containsExactly(1, 2);
    out[1] = 9;
    assertThat(s.embedding()).containsExactly(1, 2);
    assertThat(s).isEqualTo(DriftSample.input(new float[] {1, 2}))
        .hasSameHashCodeAs(DriftSample.input(new float[] {1, 2})).isNotEqualTo(DriftSample.input(new float[] {1, 3}));
  }

  @Test
  void concurrentRecordersCloseEveryWindowExactlyOnce() throws Exception {
    int threads = 8;
    int perThread = 2500;
    DriftMonitor monitor = DriftMonitor.builder().window(500).clock(clock).build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> closed = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = t;
      closed.add(pool.submit(() -> {
        List<DriftSample> samples = Traffic.outputs(perThread, 0.05, 0.85, 400, new SplittableRandom(seed));
        start.await();
        int windows = 0;
        for (DriftSample s : samples) {
          List<DriftCheck> checks = monitor.record(s);
          if (!checks.isEmpty()) {
            windows++;
            assertThat(checks.get(0).currentSize()).isEqualTo(500); // every window held exactly its 500 samples
          }
        }
        return windows;
      }));
    }
    start.countDown();
    int windows = 0;
    for (Future<Integer> f : closed) {
      windows += f.get();
    }
    pool.shutdown();
    // 20,000 samples: the reference, then 39 windows of 500, each checked once with 500 samples.
    assertThat(windows).isEqualTo(threads * perThread / 500 - 1);
    assertThat(monitor.lastChecks().get(0).referenceSize()).isEqualTo(500);
  }
}
