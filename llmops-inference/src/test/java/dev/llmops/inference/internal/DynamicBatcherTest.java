package dev.llmops.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.RateLimitedException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.BatchingSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The batcher on its own, with a runner that computes a known function of each row. Tests that hold the runner use
 * one worker, so that rows queue behind the held batch; the class timeout turns a batch left held by a failed
 * assertion into a failure instead of a hung build.
 */
@Timeout(120)
class DynamicBatcherTest {

  /** Records every batch it runs; the output of a row is its payload times ten. */
  static class RecordingRunner implements DynamicBatcher.BatchRunner<Integer> {
    final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch gate = new CountDownLatch(0);
    volatile int failOn = Integer.MIN_VALUE;

    /** Holds every batch at its start until {@link #open()}. */
    void hold() {
      gate = new CountDownLatch(1);
    }

    void open() {
      gate.countDown();
    }

    @Override
    public List<Integer> run(List<DynamicBatcher.Row> rows) throws Exception {
      gate.await();
      List<Integer> in = rows.stream().map(r -> (Integer) r.payload()).toList();
      batches.add(in);
      if (in.contains(failOn)) {
        throw new IllegalStateException("boom on " + failOn);
      }
      return in.stream().map(i -> i * 10).toList();
    }
  }

  static final DynamicBatcher.Listener QUIET = new DynamicBatcher.Listener() {
    @Override
    public void batchCompleted(int rows, int real, int padded, long wait, long run) {}

    @Override
    public void rejected(int rows) {}

    @Override
    public void expired(int rows) {}
  };

  private static DynamicBatcher.Ticket<Integer, List<Integer>> submit(DynamicBatcher<Integer> batcher,
      int... payloads) {
    int[] tokens = new int[payloads.length];
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < payloads.length; i++) {
      tokens[i] = Math.max(1, Math.abs(payloads[i]) % 1000);
      values.add(payloads[i]);
    }
    return batcher.submit(tokens, values, Duration.ofSeconds(30), outputs -> outputs);
  }

  @Test
  void resultsComeBackInTheCallersOrderAcrossBatches() {
    RecordingRunner runner = new RecordingRunner();
    BatchingSettings settings = BatchingSettings.builder().maxBatchSize(3).build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      var ticket = submit(batcher, 500, 3, 70, 2, 900, 11, 4);
      assertThat(DynamicBatcher.await(ticket, "test")).containsExactly(5000, 30, 700, 20, 9000, 110, 40);
      assertThat(runner.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(3));
    }
  }

  @Test
  void groupsRowsOfSimilarLengthAndAlwaysTakesTheOldest() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    runner.hold();
    BatchingSettings settings = BatchingSettings.builder().workers(1).maxBatchSize(4).runOverheadTokens(16)
        .maxQueueDelay(Duration.ZERO).build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      var blocker = submit(batcher, 1);
      // While the worker is held on the first batch, queue short and long rows mixed.
      awaitQueued(batcher, 0);
      var mixed = submit(batcher, 100, 10, 101, 11, 102, 12, 103, 13);
      runner.open();
      DynamicBatcher.await(blocker, "blocker");
      assertThat(DynamicBatcher.await(mixed, "mixed")).containsExactly(1000, 100, 1010, 110, 1020, 120, 1030, 130);
      List<List<Integer>> after = runner.batches.subList(1, runner.batches.size());
      // The oldest row (100) leads; long rows go together and short rows go together.
      assertThat(after.get(0)).containsExactlyInAnyOrder(100, 101, 102, 103);
      assertThat(after.get(1)).containsExactlyInAnyOrder(10, 11, 12, 13);
    }
  }

  @Test
  void splitsRowsWhenPaddingCostsMoreThanAnotherCallAndMergesThemOtherwise() {
    RecordingRunner runner = new RecordingRunner();
    runner.hold();
    BatchingSettings settings = BatchingSettings.builder().workers(1).runOverheadTokens(16).maxQueueDelay(Duration.ZERO)
        .build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      var blocker = submit(batcher, 1);
      awaitQueued(batcher, 0);
      // 10 and 12 together: 2 x 12 + 16 = 40 < 10 + 12 + 2 x 16. 50 alone: 2 x 50 + 16 = 116 > 50 + 10 + 2 x 16.
      var ticket = submit(batcher, 10, 12, 50);
      runner.open();
      DynamicBatcher.await(blocker, "blocker");
      assertThat(DynamicBatcher.await(ticket, "t")).containsExactly(100, 120, 500);
      assertThat(runner.batches.subList(1, runner.batches.size()))
          .containsExactlyInAnyOrder(List.of(10, 12), List.of(50));
    }
  }

  @Test
  void respectsTheTokenBudgetButRunsAnOversizedRowAlone() {
    RecordingRunner runner = new RecordingRunner();
    runner.hold();
    BatchingSettings settings = BatchingSettings.builder().workers(1).maxBatchSize(32).maxBatchTokens(250)
        .maxQueueDelay(Duration.ZERO).build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      var blocker = submit(batcher, 1);
      awaitQueued(batcher, 0);
      var ticket = submit(batcher, 100, 100, 100, 100, 600);
      runner.open();
      DynamicBatcher.await(blocker, "blocker");
      assertThat(DynamicBatcher.await(ticket, "t")).containsExactly(1000, 1000, 1000, 1000, 6000);
      for (List<Integer> batch : runner.batches) {
        int max = batch.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(batch.size() == 1 || batch.size() * max <= 250).as("batch %s", batch).isTrue();
      }
    }
  }

  @Test
  void aFullQueueRefusesAtOnceAndLeavesQueuedWorkIntact() {
    RecordingRunner runner = new RecordingRunner();
    runner.hold();
    BatchingSettings settings = BatchingSettings.builder().workers(1).queueCapacity(4).maxQueueDelay(Duration.ZERO)
        .build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      var running = submit(batcher, 1);
      awaitQueued(batcher, 0);
      var queued = submit(batcher, 2, 3, 4);
      assertThatThrownBy(() -> submit(batcher, 5, 6))
          .isInstanceOf(RateLimitedException.class)
          .hasMessageContaining("queue of model 't' is full")
          .hasMessageContaining("queueCapacity 4");
      runner.open();
      assertThat(DynamicBatcher.await(running, "a")).containsExactly(10);
      assertThat(DynamicBatcher.await(queued, "b")).containsExactly(20, 30, 40);
    }
  }

  @Test
  void aFailingBatchFailsOnlyTheRequestsInIt() {
    RecordingRunner runner = new RecordingRunner();
    runner.failOn = 666;
    BatchingSettings settings = BatchingSettings.builder().maxBatchSize(1).build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      var bad = submit(batcher, 666);
      var good = submit(batcher, 7);
      assertThatThrownBy(() -> DynamicBatcher.await(bad, "bad"))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("boom on 666");
      assertThat(DynamicBatcher.await(good, "good")).containsExactly(70);
      assertThat(DynamicBatcher.await(submit(batcher, 8), "after")).containsExactly(80);
    }
  }

  @Test
  void anErrorInABatchFailsItsRequestsAndTheWorkerGoesOn() {
    RecordingRunner runner = new RecordingRunner() {
      @Override
      public List<Integer> run(List<DynamicBatcher.Row> rows) throws Exception {
        if (rows.stream().anyMatch(r -> (Integer) r.payload() == 13)) {
          throw new OutOfMemoryError("simulated");
        }
        return super.run(rows);
      }
    };
    BatchingSettings settings = BatchingSettings.builder().workers(1).maxBatchSize(1).build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      assertThatThrownBy(() -> DynamicBatcher.await(submit(batcher, 13), "bad"))
          .isInstanceOf(UnavailableException.class).hasMessageContaining("simulated");
      assertThat(DynamicBatcher.await(submit(batcher, 14), "after")).containsExactly(140);
    }
  }

  @Test
  void aCallbackThatClosesTheBatcherDoesNotHangIt() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    var batcher = new DynamicBatcher<>("t", BatchingSettings.defaults(), runner, QUIET);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    submit(batcher, 5).future().whenComplete((result, error) -> {
      batcher.close();
      closed.complete(null);
    });
    closed.get(30, TimeUnit.SECONDS);
    assertThatThrownBy(() -> submit(batcher, 6)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void cancelledAndExpiredRowsNeverRun() {
    RecordingRunner runner = new RecordingRunner();
    runner.hold();
    AtomicInteger expired = new AtomicInteger();
    DynamicBatcher.Listener listener = new DynamicBatcher.Listener() {
      @Override
      public void batchCompleted(int rows, int real, int padded, long wait, long run) {}

      @Override
      public void rejected(int rows) {}

      @Override
      public void expired(int rows) {
        expired.addAndGet(rows);
      }
    };
    BatchingSettings settings = BatchingSettings.builder().workers(1).maxQueueDelay(Duration.ZERO).build();
    try (var batcher = new DynamicBatcher<>("t", settings, runner, listener)) {
      var running = submit(batcher, 1);
      awaitQueued(batcher, 0);
      var cancelled = submit(batcher, 41, 42);
      var shortLived = batcher.submit(new int[] {5}, List.of(43), Duration.ofMillis(1), outputs -> outputs);
      var kept = submit(batcher, 44);
      cancelled.future().cancel(false);
      sleep(20);
      runner.open();
      assertThat(DynamicBatcher.await(kept, "kept")).containsExactly(440);
      assertThatThrownBy(() -> DynamicBatcher.await(shortLived, "short")).isInstanceOf(RequestTimeoutException.class);
      DynamicBatcher.await(running, "running");
      assertThat(runner.batches.stream().flatMap(List::stream)).doesNotContain(41, 42, 43);
      assertThat(expired).hasValue(1);
    }
  }

  @Test
  void closeRunsEverythingQueuedThenRefuses() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    runner.hold();
    var batcher = new DynamicBatcher<>("t", BatchingSettings.builder().workers(1).build(), runner, QUIET);
    List<CompletableFuture<List<Integer>>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(submit(batcher, i + 1).future());
    }
    Thread closer = new Thread(batcher::close);
    closer.start();
    sleep(20);
    runner.open();
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    for (int i = 0; i < 50; i++) {
      assertThat(futures.get(i).get(0, TimeUnit.SECONDS)).containsExactly((i + 1) * 10);
    }
    assertThatThrownBy(() -> submit(batcher, 1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void manyThreadsGetTheirOwnResults() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    BatchingSettings settings = BatchingSettings.builder().maxBatchSize(16).workers(2).build();
    int threads = 16;
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try (var batcher = new DynamicBatcher<>("t", settings, runner, QUIET)) {
      List<Future<Integer>> checked = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        checked.add(pool.submit(() -> {
          start.await();
          int ok = 0;
          for (int i = 0; i < perThread; i++) {
            int a = thread * 100_000 + i * 3 + 1;
            var result = DynamicBatcher.await(submit(batcher, a, a + 1, a + 2), "call");
            if (result.equals(List.of(a * 10, (a + 1) * 10, (a + 2) * 10))) {
              ok++;
            }
          }
          return ok;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : checked) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(threads * perThread);
      int rows = runner.batches.stream().mapToInt(List::size).sum();
      assertThat(rows).isEqualTo(threads * perThread * 3);
      // Concurrency produced real batches, not one row per call.
      assertThat((double) rows / runner.batches.size()).isGreaterThan(3.0);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitQueued(DynamicBatcher<?> batcher, int rows) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (batcher.queued() != rows && System.nanoTime() < deadline) {
      sleep(1);
    }
    sleep(5);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
