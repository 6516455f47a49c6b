package dev.llmops.core.observe;

import dev.llmops.core.CancelledException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.routing.RetryPolicy;
import dev.llmops.core.routing.Sleeper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands lineage records to a {@link LineageSink} off the request path: {@link #record} puts a record in a bounded
 * buffer and returns; one writer thread takes whatever is buffered (up to {@code maxBatch} records) and writes it as
 * one batch. Thread-safe; {@link #record} may be called from any number of threads.
 *
 * <pre>{@code
 * try (AsyncLineageWriter writer = AsyncLineageWriter.builder(LineageSink.jsonLines(dir, RotationPolicy.bySize(64 << 20)))
 *     .capacity(10_000).overflow(OverflowPolicy.DROP).meterRegistry(registry).build()) {
 *   Router router = Router.builder()...listener(LineageRecorder.forRouter(writer, userKey)).build();
 *   ...
 * }   // close() writes everything still buffered, then closes the sink
 * }</pre>
 *
 * <p>When the buffer is full, the {@link OverflowPolicy} decides: {@code BLOCK} waits for room, {@code DROP} drops
 * and counts, {@code FAIL} throws {@link UnavailableException}. A failed sink write is retried with backoff per the
 * {@link RetryPolicy} ({@code maxAttempts} writes in all); after the last attempt the batch is dropped and counted
 * ({@code reason=sink_failed}). Failures never reach {@link #record}'s caller, and requests never wait for the sink
 * unless the policy is {@code BLOCK} and the buffer is full.
 *
 * <p>Meters (tag {@code writer}, the name given to the builder): counters {@code llmops.lineage.written} (records),
 * {@code llmops.lineage.dropped} (records, tag {@code reason}: {@code overflow} or {@code sink_failed}),
 * {@code llmops.lineage.write.failures} (failed sink writes, retries included), gauge {@code llmops.lineage.queue.size}.
 * They are removed from the registry by {@link #close()}.
 */
public final class AsyncLineageWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncLineageWriter.class);

  /** The marker {@link #close()} puts behind the last record. */
  private static final LineageRecord END = LineageRecord.builder("end-of-lineage", java.time.Instant.EPOCH).build();

  private final LineageSink sink;
  private final String name;
  private final BlockingQueue<LineageRecord> queue;
  private final int capacity;
  private final int maxBatch;
  private final OverflowPolicy overflow;
  private final RetryPolicy retry;
  private final Sleeper sleeper;
  private final MeterRegistry registry;
  private final Thread thread;
  /** Held shared by {@link #record} around the closed check and the enqueue, exclusively by {@link #close}. */
  private final ReadWriteLock closing = new ReentrantReadWriteLock();
  private boolean closed;

  private final AtomicLong written = new AtomicLong();
  private final AtomicLong droppedOverflow = new AtomicLong();
  private final AtomicLong droppedFailed = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final Counter writtenCounter;
  private final Counter overflowCounter;
  private final Counter sinkFailedCounter;
  private final Counter failuresCounter;
  private final Gauge queueGauge;

  private AsyncLineageWriter(Builder b) {
    this.sink = b.sink;
    this.name = b.name;
    this.queue = new ArrayBlockingQueue<>(b.capacity);
    this.capacity = b.capacity;
    this.maxBatch = b.maxBatch;
    this.overflow = b.overflow;
    this.retry = b.retry;
    this.sleeper = b.sleeper;
    this.registry = b.registry;
    Tags tags = Tags.of("writer", name);
    this.writtenCounter = Counter.builder("llmops.lineage.written").description("lineage records stored")
        .tags(tags).register(registry);
    this.overflowCounter = Counter.builder("llmops.lineage.dropped").description("lineage records dropped")
        .tags(tags).tag("reason", "overflow").register(registry);
    this.sinkFailedCounter = Counter.builder("llmops.lineage.dropped").description("lineage records dropped")
        .tags(tags).tag("reason", "sink_failed").register(registry);
    this.failuresCounter = Counter.builder("llmops.lineage.write.failures")
        .description("failed lineage sink writes, retries included").tags(tags).register(registry);
    this.queueGauge = Gauge.builder("llmops.lineage.queue.size", queue, BlockingQueue::size)
        .description("lineage records waiting for the sink").tags(tags).register(registry);
    this.thread = new Thread(this::run, "llmops-lineage-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a writer to {@code sink}. */
  public static Builder builder(LineageSink sink) {
    return new Builder(sink);
  }

  /**
   * Buffers {@code record} for the sink.
   *
   * @throws UnavailableException (retriable) under {@link OverflowPolicy#FAIL} when the buffer is full
   * @throws CancelledException under {@link OverflowPolicy#BLOCK} when the thread is interrupted while waiting
   *     (the record is not kept; the interrupt flag is set again)
   * @throws IllegalStateException after {@link #close()}
   */
  public void record(LineageRecord record) {
    Objects.requireNonNull(record, "record");
    closing.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("lineage writer '" + name + "' is closed; record " + record.requestId() + " was not kept");
      }
      if (overflow == OverflowPolicy.BLOCK) {
        try {
          queue.put(record);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException("interrupted while waiting for room in lineage writer '" + name
              + "'; record " + record.requestId() + " was not kept", e);
        }
      } else if (!queue.offer(record)) {
        droppedOverflow.incrementAndGet();
        overflowCounter.increment();
        if (overflow == OverflowPolicy.FAIL) {
          throw new UnavailableException("lineage writer '" + name + "' buffer is full (" + capacity
              + " records); record " + record.requestId() + " was not kept");
        }
      }
    } finally {
      closing.readLock().unlock();
    }
  }

  private void run() {
    List<LineageRecord> batch = new ArrayList<>(maxBatch);
    boolean end = false;
    while (!end) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // Nobody but close() should interrupt this thread, and close() does not; keep draining.
        continue;
      }
      queue.drainTo(batch, maxBatch - 1);
      if (batch.get(batch.size() - 1) == END) {
        batch.remove(batch.size() - 1);
        end = true;
      }
      if (!batch.isEmpty()) {
        try {
          writeWithRetries(batch);
        } catch (Throwable t) { // an Error from a sink must not kill the only writer: the buffer would fill for good
          failedBatches.incrementAndGet();
          droppedFailed.addAndGet(batch.size());
          sinkFailedCounter.increment(batch.size());
          LOG.error("lineage writer '{}': dropped {} records after the sink {} failed badly", name, batch.size(), sink, t);
        }
      }
      batch.clear();
    }
    try {
      sink.close();
    } catch (RuntimeException e) {
      LOG.warn("lineage writer '{}': closing the sink {} failed", name, sink, e);
    }
  }

  private void writeWithRetries(List<LineageRecord> batch) {
    List<LineageRecord> copy = List.copyOf(batch);
    for (int attempt = 1; ; attempt++) {
      try {
        sink.write(copy);
        written.addAndGet(copy.size());
        writtenCounter.increment(copy.size());
        return;
      } catch (RuntimeException e) {
        failedWrites.incrementAndGet();
        failuresCounter.increment();
        if (attempt >= retry.maxAttempts()) {
          failedBatches.incrementAndGet();
          droppedFailed.addAndGet(copy.size());
          sinkFailedCounter.increment(copy.size());
          LOG.error("lineage writer '{}': dropped {} records (first {}) after {} failed writes to {}", name,
              copy.size(), copy.get(0).requestId(), attempt, sink, e);
          return;
        }
        Duration wait = retry.backoff(attempt, ThreadLocalRandom.current().nextDouble());
        LOG.warn("lineage writer '{}': write {} of {} to {} failed; retrying in {}", name, attempt,
            retry.maxAttempts(), sink, wait, e);
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          LOG.debug("lineage writer '{}': backoff interrupted; retrying now", name);
        }
      }
    }
  }

  /** What the writer has done so far. */
  public Stats stats() {
    return new Stats(written.get(), droppedOverflow.get(), droppedFailed.get(), failedWrites.get(),
        failedBatches.get(), Math.max(0, queue.size()));
  }

  /**
   * Counts since the writer started.
   *
   * @param written records the sink stored
   * @param droppedOverflow records refused because the buffer was full ({@code DROP} and {@code FAIL})
   * @param droppedAfterFailure records dropped because their batch failed on every attempt
   * @param failedWrites failed sink writes, retries included
   * @param failedBatches batches given up after the last attempt
   * @param queued records waiting now
   */
  public record Stats(long written, long droppedOverflow, long droppedAfterFailure, long failedWrites,
      long failedBatches, int queued) {}

  /**
   * Stops taking records, writes every buffered one (with retries), closes the sink, removes the meters and returns
   * when all of that is done. Records offered while closing either make it in or are refused with
   * {@link IllegalStateException}. Idempotent; a second call waits for the first to finish.
   *
   * @throws CancelledException if interrupted while waiting; the writer finishes on its own thread
   */
  @Override
  public void close() {
    boolean first;
    closing.writeLock().lock();
    try {
      first = !closed;
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    if (first) {
      // No record can follow END: every record() call has seen closed or finished. END must get in even if this
      // thread is interrupted, or the writer would wait for it forever (and a second close() with it).
      boolean interrupted = false;
      while (true) {
        try {
          queue.put(END);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
        throw new CancelledException("interrupted while closing lineage writer '" + name
            + "'; it finishes writing on its own thread", null);
      }
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while lineage writer '" + name + "' was flushing", e);
    }
    if (first) {
      registry.remove(writtenCounter);
      registry.remove(overflowCounter);
      registry.remove(sinkFailedCounter);
      registry.remove(failuresCounter);
      registry.remove(queueGauge);
    }
  }

  /** Builds an {@link AsyncLineageWriter}. */
  public static final class Builder {
    private final LineageSink sink;
    private String name = "lineage";
    private int capacity = 10_000;
    private int maxBatch = 500;
    private OverflowPolicy overflow = OverflowPolicy.DROP;
    private RetryPolicy retry = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.5, Duration.ZERO);
    private Sleeper sleeper = Sleeper.system();
    private MeterRegistry registry = Metrics.globalRegistry;

    private Builder(LineageSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The name in the thread name and the {@code writer} meter tag (default {@code lineage}). */
    public Builder name(String name) {
      if (name.isBlank()) {
        throw new InvalidRequestException("a lineage writer needs a name but got '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /** The most records buffered (default 10,000). */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new InvalidRequestException("lineage writer capacity must be at least 1 but was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /** The most records per sink write (default 500). */
    public Builder maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new InvalidRequestException("lineage writer maxBatch must be at least 1 but was " + maxBatch);
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /** What a full buffer does to {@link AsyncLineageWriter#record} (default {@link OverflowPolicy#DROP}). */
    public Builder overflow(OverflowPolicy overflow) {
      this.overflow = Objects.requireNonNull(overflow, "overflow");
      return this;
    }

    /**
     * How failed sink writes are retried: {@code maxAttempts} writes in all, waiting {@link RetryPolicy#backoff}
     * between them ({@code maxRetryAfter} is not used). Default: 5 attempts, 100 ms doubling to 5 s, half jitter.
     */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Waits between retries (default {@link Sleeper#system()}; tests pass one that does not sleep). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Where the meters go (default {@link Metrics#globalRegistry}). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The writer, its thread started. */
    public AsyncLineageWriter build() {
      return new AsyncLineageWriter(this);
    }
  }
}
