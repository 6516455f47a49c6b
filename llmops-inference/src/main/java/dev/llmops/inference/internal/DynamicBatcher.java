package dev.llmops.inference.internal;

import dev.llmops.core.CancelledException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.BatchingSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups rows from concurrent callers into batches and runs them on a fixed set of worker threads.
 *
 * <p>A caller submits a {@link Ticket}: one or more rows whose outputs are assembled into one result, in the
 * caller's order, when the last of its rows is done. Rows of one ticket may run in different batches. The queue
 * is bounded (a full queue refuses at once); expired and cancelled rows are dropped before they run; a failing
 * batch fails only the tickets with rows in it. {@link #close()} stops intake, runs what is queued and joins the
 * workers.
 *
 * <p>Batch selection, under the queue's lock: the waiting rows, sorted by length, are split into the batches that
 * cost least (padded tokens plus a per-call cost, within the row and token limits), and the batch that holds the
 * oldest row runs, so no row starves. Before selecting, a worker waits up to the queue delay for more rows, but only
 * up to the recent level of demand (the most rows seen queued or running in the last few batches): a single caller
 * is not held back once the last few batches were its own, and a crowd is gathered into full batches.
 *
 * <p>Results are completed on the worker thread: a caller's non-async {@code CompletableFuture} stages run there and
 * hold up batching while they run (use the {@code ...Async} stages for slow work). A worker never dies of a failing
 * batch, an {@code Error} included: the batch's tickets fail and the worker goes on.
 *
 * @param <R> what one row produces
 */
public final class DynamicBatcher<R> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
  private static final int DEMAND_WINDOW = 4;

  /** Runs one batch; returns one output per row, in the order given. Called on a worker thread. */
  @FunctionalInterface
  public interface BatchRunner<R> {
    List<R> run(List<Row> rows) throws Exception;
  }

  /** Observes every batch that ran (for metrics). */
  public interface Listener {
    void batchCompleted(int rows, int realTokens, int paddedTokens, long queueWaitNanosOldest, long runNanos);

    void rejected(int rows);

    void expired(int rows);
  }

  /** One row: its tokens (what the runner needs) and its place in a ticket. */
  public static final class Row {
    final Ticket<?, ?> ticket;
    final int slot;
    final int tokens;
    final Object payload;
    long enqueuedNanos;
    long sequence;

    Row(Ticket<?, ?> ticket, int slot, int tokens, Object payload) {
      this.ticket = ticket;
      this.slot = slot;
      this.tokens = tokens;
      this.payload = payload;
    }

    /** The number of tokens of this row (its length before padding). */
    public int tokens() {
      return tokens;
    }

    /** What the submitter attached to the row (for example its token ids). */
    public Object payload() {
      return payload;
    }
  }

  /**
   * A caller's request: rows and how their outputs become one result.
   *
   * @param <R> a row's output
   * @param <T> the request's result
   */
  public static final class Ticket<R, T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final Object[] outputs;
    private final AtomicInteger remaining;
    private final Function<List<R>, T> assemble;
    private final List<Row> rows = new ArrayList<>();
    final long deadlineNanos;

    Ticket(int rowCount, long deadlineNanos, Function<List<R>, T> assemble) {
      this.outputs = new Object[rowCount];
      this.remaining = new AtomicInteger(rowCount);
      this.deadlineNanos = deadlineNanos;
      this.assemble = assemble;
    }

    /** The result; cancelling it drops the ticket's rows that have not run yet. */
    public CompletableFuture<T> future() {
      return future;
    }

    boolean done() {
      return future.isDone();
    }

    @SuppressWarnings("unchecked")
    void deliver(int slot, Object output) {
      outputs[slot] = output;
      if (remaining.decrementAndGet() == 0) {
        List<R> all = new ArrayList<>(outputs.length);
        for (Object o : outputs) {
          all.add((R) o);
        }
        try {
          future.complete(assemble.apply(all));
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      }
    }

    void fail(Throwable error) {
      future.completeExceptionally(error);
    }
  }

  private final String name;
  private final BatchingSettings settings;
  private final BatchRunner<R> runner;
  private final Listener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Row> pending = new ArrayList<>();
  private final int[] demand = new int[DEMAND_WINDOW];
  private int demandIndex;
  private int running;
  private long sequence;
  private boolean closing;
  private final List<Thread> workers = new ArrayList<>();

  public DynamicBatcher(String name, BatchingSettings settings, BatchRunner<R> runner, Listener listener) {
    this.name = name;
    this.settings = settings;
    this.runner = runner;
    this.listener = listener;
    for (int i = 0; i < settings.workers(); i++) {
      Thread t = new Thread(this::work, "llmops-batcher-" + name + "-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  /**
   * Queues a request of rows.
   *
   * @param tokens each row's length in tokens
   * @param payloads what the runner gets for each row
   * @param timeout how long the request may take before it fails with {@link RequestTimeoutException}
   * @param assemble turns the rows' outputs, in order, into the result
   * @throws RateLimitedException when the queue cannot take the rows now
   * @throws IllegalStateException when the batcher is closed
   */
  public <T> Ticket<R, T> submit(int[] tokens, List<?> payloads, Duration timeout, Function<List<R>, T> assemble) {
    if (tokens.length != payloads.size()) {
      throw new IllegalArgumentException(tokens.length + " token counts for " + payloads.size() + " rows");
    }
    if (tokens.length == 0) {
      throw new IllegalArgumentException("a request needs at least one row");
    }
    long now = System.nanoTime();
    Ticket<R, T> ticket = new Ticket<>(tokens.length, now + timeout.toNanos(), assemble);
    for (int i = 0; i < tokens.length; i++) {
      ticket.rows.add(new Row(ticket, i, tokens[i], payloads.get(i)));
    }
    lock.lock();
    try {
      if (closing) {
        throw new IllegalStateException("model '" + name + "' is closed");
      }
      if (pending.size() + tokens.length > settings.queueCapacity()) {
        listener.rejected(tokens.length);
        throw new RateLimitedException("the inference queue of model '" + name + "' is full: " + pending.size()
            + " rows wait and this request adds " + tokens.length + " (queueCapacity " + settings.queueCapacity()
            + "); retry later or raise BatchingSettings.queueCapacity", Duration.ofMillis(50), null);
      }
      for (Row row : ticket.rows) {
        row.enqueuedNanos = now;
        row.sequence = sequence++;
        pending.add(row);
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    return ticket;
  }

  /** Rows waiting now. */
  public int queued() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for a ticket's result, turning interruption, timeout and failure into llmops exceptions. */
  public static <T> T await(Ticket<?, T> ticket, String what) {
    long remaining = ticket.deadlineNanos - System.nanoTime();
    try {
      return ticket.future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      ticket.future.cancel(false);
      Thread.currentThread().interrupt();
      throw new CancelledException(what + " was interrupted and cancelled", e);
    } catch (java.util.concurrent.TimeoutException e) {
      RequestTimeoutException timeout = new RequestTimeoutException(what + " did not finish within its timeout",
          null, e);
      ticket.fail(timeout);
      ticket.future.cancel(false);
      throw timeout;
    } catch (java.util.concurrent.CancellationException e) {
      throw new CancelledException(what + " was cancelled", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LlmOpsException l) {
        l.addSuppressed(new Exception("waited for " + what + " here"));
        throw l;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new UnavailableException(what + " failed: " + cause, null, cause);
    }
  }

  private void work() {
    while (true) {
      List<Row> batch;
      long oldestWait;
      lock.lock();
      try {
        while (pending.isEmpty() && !closing) {
          arrived.awaitUninterruptibly();
        }
        if (pending.isEmpty()) {
          return;
        }
        gather();
        dropDead();
        if (pending.isEmpty()) {
          continue;
        }
        batch = select();
        Set<Row> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
        chosen.addAll(batch);
        pending.removeIf(chosen::contains);
        running += batch.size();
        oldestWait = System.nanoTime() - batch.stream().mapToLong(r -> r.enqueuedNanos).min().orElseThrow();
      } finally {
        lock.unlock();
      }
      runBatch(batch, oldestWait);
    }
  }

  /** Waits, up to the queue delay after the oldest row arrived, for the batch to reach the recent demand. */
  private void gather() {
    int target = Math.min(settings.maxBatchSize(), recentDemand());
    long deadline = pending.get(0).enqueuedNanos + settings.maxQueueDelay().toNanos();
    long now;
    while (!closing && pending.size() < target && (now = System.nanoTime()) < deadline) {
      try {
        arrived.awaitNanos(deadline - now);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private int recentDemand() {
    int max = 1;
    for (int d : demand) {
      max = Math.max(max, d);
    }
    return max;
  }

  private void dropDead() {
    long now = System.nanoTime();
    int expired = 0;
    for (var it = pending.iterator(); it.hasNext(); ) {
      Row row = it.next();
      if (row.ticket.done()) {
        it.remove();
      } else if (now - row.ticket.deadlineNanos > 0) {
        it.remove();
        expired++;
        row.ticket.fail(new RequestTimeoutException("a request to model '" + name + "' waited "
            + Duration.ofNanos(now - row.enqueuedNanos).toMillis() + " ms in the queue, past its timeout"));
      }
    }
    if (expired > 0) {
      listener.expired(expired);
    }
  }

  /**
   * Chooses the next batch from the pending rows (called under the lock; pending is not empty).
   *
   * <p>The rows are sorted by length and split into contiguous groups so that padded tokens plus
   * {@code runOverheadTokens} per group are smallest (dynamic programming over the sorted rows, each group within the
   * row and token limits); the group that holds the oldest row runs now, the others wait for the next pass, when
   * new arrivals may fill them better.
   */
  List<Row> select() {
    List<Row> byLength = new ArrayList<>(pending);
    byLength.sort(Comparator.comparingInt((Row r) -> r.tokens).thenComparingLong(r -> r.sequence));
    int n = byLength.size();
    int oldest = 0;
    for (int i = 1; i < n; i++) {
      if (byLength.get(i).sequence < byLength.get(oldest).sequence) {
        oldest = i;
      }
    }
    // Only rows that could share a batch with the oldest matter for this pass.
    int from = Math.max(0, oldest - settings.maxBatchSize() * 4);
    int to = Math.min(n, oldest + settings.maxBatchSize() * 4);
    int m = to - from;
    long[] cost = new long[m + 1];
    int[] cut = new int[m + 1];
    for (int end = 1; end <= m; end++) {
      cost[end] = Long.MAX_VALUE;
      long longest = byLength.get(from + end - 1).tokens;
      for (int start = end - 1; start >= 0 && end - start <= settings.maxBatchSize(); start--) {
        long padded = longest * (end - start);
        if (padded > settings.maxBatchTokens() && end - start > 1) {
          break;
        }
        long total = cost[start] + padded + settings.runOverheadTokens();
        if (total < cost[end]) {
          cost[end] = total;
          cut[end] = start;
        }
      }
    }
    int end = m;
    while (true) {
      int start = cut[end];
      if (from + start <= oldest && oldest < from + end) {
        return new ArrayList<>(byLength.subList(from + start, from + end));
      }
      end = start;
    }
  }

  private void runBatch(List<Row> batch, long oldestWaitNanos) {
    int realTokens = 0;
    int maxLen = 0;
    for (Row row : batch) {
      realTokens += row.tokens;
      maxLen = Math.max(maxLen, row.tokens);
    }
    long start = System.nanoTime();
    List<R> outputs = null;
    Throwable failure = null;
    try {
      outputs = runner.run(batch);
      if (outputs.size() != batch.size()) {
        throw new IllegalStateException("the batch runner returned " + outputs.size() + " outputs for "
            + batch.size() + " rows");
      }
    } catch (Exception | Error e) {
      failure = e;
    }
    long runNanos = System.nanoTime() - start;
    lock.lock();
    try {
      running -= batch.size();
      demand[demandIndex] = pending.size() + batch.size() + running;
      demandIndex = (demandIndex + 1) % DEMAND_WINDOW;
    } finally {
      lock.unlock();
    }
    // Counted before the callers hear back, so a caller that reads the statistics sees its own batch.
    listener.batchCompleted(batch.size(), realTokens, maxLen * batch.size(), oldestWaitNanos, runNanos);
    if (failure == null) {
      for (int i = 0; i < batch.size(); i++) {
        Row row = batch.get(i);
        row.ticket.deliver(row.slot, outputs.get(i));
      }
      return;
    }
    if (failure instanceof Error) {
      LOG.error("a batch of {} rows on model '{}' failed; its requests fail, the worker goes on", batch.size(), name,
          failure);
    } else {
      LOG.warn("a batch of {} rows on model '{}' failed: {}", batch.size(), name, failure.toString());
    }
    for (Row row : batch) {
      row.ticket.fail(failure instanceof LlmOpsException ? failure
          : new UnavailableException("inference on model '" + name + "' failed: " + failure, null, failure));
    }
  }

  /**
   * Stops intake, lets the workers run every queued row, and waits for them up to {@code drainTimeout}; rows
   * still queued after that fail with {@link UnavailableException}. A batch that is running always finishes.
   */
  public void close(Duration drainTimeout) {
    lock.lock();
    try {
      closing = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    boolean interrupted = false;
    for (Thread worker : workers) {
      if (worker == Thread.currentThread()) {
        continue;
      }
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    lock.lock();
    try {
      for (Row row : pending) {
        row.ticket.fail(new UnavailableException("model '" + name + "' closed before this request ran"));
      }
      pending.clear();
    } finally {
      lock.unlock();
    }
    for (Thread worker : workers) {
      // A running batch must finish before native resources are released. A worker that closes the model from a
      // callback it is running cannot wait for itself; it stops when the callback returns.
      while (worker.isAlive() && worker != Thread.currentThread()) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
