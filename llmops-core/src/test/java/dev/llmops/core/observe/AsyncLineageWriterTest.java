package dev.llmops.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.routing.RetryPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncLineageWriterTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  static LineageRecord record(String id) {
    return LineageRecord.builder(id, T0).route("bot").release("v1").prompt("answer@3")
        .outputHash(Lineage.sha256Hex(id)).build();
  }

  /** A sink that holds every write until released, and keeps what it got. */
  static final class GateSink implements LineageSink {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<LineageRecord> stored = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void write(List<LineageRecord> batch) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      stored.addAll(batch);
    }
  }

  /** Runs {@code threads} threads that each record {@code perThread} records with distinct ids. */
  static void writeConcurrently(AsyncLineageWriter writer, int threads, int perThread) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          writer.record(record("t" + thread + "-" + i));
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  @Test
  void eightThreadsWriteAHundredThousandRecordsAndEachIsInTheFilesExactlyOnce() throws Exception {
    int threads = 8;
    int perThread = 12_500;
    AsyncLineageWriter writer = AsyncLineageWriter.builder(
            LineageSink.jsonLines(dir, RotationPolicy.bySize(4 << 20)))
        .capacity(1_000).maxBatch(256).overflow(OverflowPolicy.BLOCK).meterRegistry(meters).build();
    writeConcurrently(writer, threads, perThread);
    writer.close();

    LineageReader reader = LineageReader.jsonLines(dir);
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    try (Stream<LineageRecord> records = reader.records()) {
      records.forEach(r -> {
        if (!seen.add(r.requestId())) {
          duplicates.add(r.requestId());
        }
      });
    }
    assertThat(duplicates).isEmpty();
    assertThat(seen).hasSize(threads * perThread);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(seen.contains("t" + t + "-" + i)).as("t%d-%d", t, i).isTrue();
      }
    }
    assertThat(reader.files().size()).isGreaterThan(1); // it rotated along the way
    assertThat(reader.skippedTornLines()).isZero();
    assertThat(writer.stats().written()).isEqualTo(100_000);
    assertThat(writer.stats().droppedOverflow() + writer.stats().droppedAfterFailure()).isZero();
  }

  @Test
  void dropCountsEveryRecordRefusedByAFullBuffer() throws Exception {
    GateSink sink = new GateSink();
    AsyncLineageWriter writer = AsyncLineageWriter.builder(sink).capacity(10).maxBatch(100)
        .overflow(OverflowPolicy.DROP).meterRegistry(meters).build();
    writer.record(record("first"));
    assertThat(sink.entered.await(1, TimeUnit.MINUTES)).isTrue(); // the writer holds "first" inside the sink
    for (int i = 0; i < 10; i++) {
      writer.record(record("kept-" + i)); // fills the buffer
    }
    assertThat(writer.stats().queued()).isEqualTo(10);
    for (int i = 0; i < 37; i++) {
      writer.record(record("dropped-" + i)); // returns at once
    }
    assertThat(writer.stats().droppedOverflow()).isEqualTo(37);
    assertThat(meters.get("llmops.lineage.dropped").tag("reason", "overflow").counter().count()).isEqualTo(37);
    assertThat(meters.get("llmops.lineage.queue.size").gauge().value()).isEqualTo(10);

    sink.release.countDown();
    writer.close();
    assertThat(sink.stored).extracting(LineageRecord::requestId).hasSize(11).doesNotContain("dropped-0")
        .startsWith("first", "kept-0");
    assertThat(writer.stats().written()).isEqualTo(11);
  }

  @Test
  void blockMakesCallersWaitForRoomAndLosesNothing() throws Exception {
    GateSink sink = new GateSink();
    AsyncLineageWriter writer = AsyncLineageWriter.builder(sink).capacity(5).maxBatch(100)
        .overflow(OverflowPolicy.BLOCK).meterRegistry(meters).build();
    writer.record(record("first"));
    assertThat(sink.entered.await(1, TimeUnit.MINUTES)).isTrue();
    for (int i = 0; i < 5; i++) {
      writer.record(record("fill-" + i));
    }
    CountDownLatch returned = new CountDownLatch(1);
    Thread producer = new Thread(() -> {
      writer.record(record("waiting"));
      returned.countDown();
    });
    producer.start();
    while (producer.getState() != Thread.State.WAITING) { // parked in the full buffer
      Thread.onSpinWait();
    }
    assertThat(returned.getCount()).isEqualTo(1);
    assertThat(writer.stats().queued()).isEqualTo(5);

    sink.release.countDown();
    assertThat(returned.await(1, TimeUnit.MINUTES)).isTrue();
    writer.close();
    assertThat(sink.stored).extracting(LineageRecord::requestId).hasSize(7).endsWith("waiting");
    assertThat(writer.stats().droppedOverflow()).isZero();
  }

  @Test
  void failThrowsARetriableErrorWhenTheBufferIsFull() throws Exception {
    GateSink sink = new GateSink();
    AsyncLineageWriter writer = AsyncLineageWriter.builder(sink).capacity(3).overflow(OverflowPolicy.FAIL)
        .meterRegistry(meters).build();
    writer.record(record("first"));
    assertThat(sink.entered.await(1, TimeUnit.MINUTES)).isTrue();
    for (int i = 0; i < 3; i++) {
      writer.record(record("fill-" + i));
    }
    assertThatThrownBy(() -> writer.record(record("one-too-many")))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("one-too-many").hasMessageContaining("3 records")
        .satisfies(e -> assertThat(((UnavailableException) e).isRetriable()).isTrue());
    assertThat(writer.stats().droppedOverflow()).isEqualTo(1);
    sink.release.countDown();
    writer.close();
    assertThat(sink.stored).hasSize(4);
  }

  @Test
  void aFailingSinkIsRetriedWithBackoffThenTheBatchIsCountedAsFailed() {
    AtomicInteger calls = new AtomicInteger();
    List<LineageRecord> stored = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    LineageSink flaky = batch -> {
      try {
        go.await(); // so that the first batch holds all three records
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      int call = calls.incrementAndGet();
      if (call <= 4) { // the first batch fails on all 3 attempts, the second batch once
        throw new UnavailableException("database down (call " + call + ")");
      }
      stored.addAll(batch);
    };
    RetryPolicy retry = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0, Duration.ZERO);
    AsyncLineageWriter writer = AsyncLineageWriter.builder(flaky).retry(retry).sleeper(sleeps::add)
        .meterRegistry(meters).name("audit").build();
    writer.record(record("a"));
    writer.record(record("b"));
    writer.record(record("c"));
    go.countDown();
    // the writer may take "a" alone before "b" and "c" arrive: wait until all three are out of the buffer
    while (writer.stats().queued() > 0 || calls.get() < 3) {
      Thread.onSpinWait();
    }
    writer.record(record("d"));
    while (writer.stats().written() + writer.stats().droppedAfterFailure() < 4) {
      Thread.onSpinWait();
    }
    assertThat(meters.get("llmops.lineage.write.failures").tag("writer", "audit").counter().count()).isEqualTo(4);
    writer.close();

    AsyncLineageWriter.Stats stats = writer.stats();
    assertThat(stats.failedWrites()).isEqualTo(4);
    assertThat(stats.failedBatches()).isEqualTo(1);
    assertThat(stored).extracting(LineageRecord::requestId).contains("d");
    assertThat(stats.written() + stats.droppedAfterFailure()).isEqualTo(4);
    assertThat(stats.droppedAfterFailure()).isPositive();
    assertThat(sleeps.subList(0, 2)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeps).hasSize(3);
  }

  @Test
  void closeFlushesEverythingAndRefusesLaterRecords() {
    List<LineageRecord> stored = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger closes = new AtomicInteger();
    LineageSink sink = new LineageSink() {
      @Override
      public void write(List<LineageRecord> batch) {
        stored.addAll(batch);
      }

      @Override
      public void close() {
        closes.incrementAndGet();
      }
    };
    AsyncLineageWriter writer = AsyncLineageWriter.builder(sink).capacity(50_000).meterRegistry(meters).build();
    for (int i = 0; i < 20_000; i++) {
      writer.record(record("r" + i));
    }
    writer.close();
    writer.close();
    assertThat(stored).hasSize(20_000);
    assertThat(closes).hasValue(1);
    assertThatThrownBy(() -> writer.record(record("late"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("late");
    assertThat(meters.find("llmops.lineage.written").counter()).isNull(); // meters go with the writer
  }
}
