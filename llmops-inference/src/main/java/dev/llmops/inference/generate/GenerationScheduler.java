package dev.llmops.inference.generate;

import dev.llmops.core.LlmOpsException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.FinishReason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generation loop of one model: a single thread that owns the cache and the running sequences and, step by
 * step, admits waiting sequences, prefills prompts and runs batched decode steps (see {@link Scheduling}).
 *
 * <p><b>Continuous.</b> Each iteration: drop cancelled sequences (their blocks are freed at once); admit waiting
 * sequences in arrival order while fewer than {@code maxBatchSequences} run and the cache has blocks for their
 * prompt plus one token (the oldest waiting sequence is never skipped for a smaller one, so none starves); run one
 * prefill call over up to {@code prefillChunkTokens} prompt tokens of admitted sequences; run one decode call over
 * every sequence that is fully prefilled. A sequence that needs a new block when none is free preempts the most
 * recently admitted sequence, which gives its blocks back and returns to the front of the queue to be recomputed
 * (its tokens so far are kept, so it continues exactly where it was). Sequences with different LoRA adapters are
 * never in one call: a call runs one adapter (ONNX Runtime activates adapters per run), so each iteration runs one
 * decode call per adapter in use.
 *
 * <p><b>Static.</b> When nothing runs, up to {@code maxBatchSequences} queued requests with the same adapter start
 * together, each with cache for the longest prompt plus the largest answer of the batch; the prompts are prefilled
 * in one call and the batch decodes until its last member ends, finished members still computed.
 */
final class GenerationScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GenerationScheduler.class);

  private final String modelId;
  private final DecoderSession session;
  private final KvCache cache;
  private final SchedulerSettings settings;
  private final Set<Integer> eos;
  private final int contextLength;
  private final Adapters adapters;
  private final Listener listener;
  private final DecoderSession.Step step;
  private final DecodeBatch baseBatch;
  private final java.util.IdentityHashMap<Adapters.Entry, DecodeBatch> adapterBatches =
      new java.util.IdentityHashMap<>();
  private final java.util.Set<DecodeBatch> usedBatches =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private final float[] row;
  /** Positions the cache holds: also the most one call's padded past may span (rows x longest). */
  private final long cachePositions;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayDeque<Generation> incoming = new ArrayDeque<>();
  private boolean closed;
  private final Thread thread;

  // Scheduler thread only.
  private final ArrayDeque<Generation> waiting = new ArrayDeque<>();
  private final List<Generation> running = new ArrayList<>();

  private final AtomicInteger queued = new AtomicInteger();
  /** Preempted sequences waiting again; they do not count against the queue capacity. */
  private final AtomicInteger requeued = new AtomicInteger();
  private final AtomicInteger runningCount = new AtomicInteger();
  private final AtomicInteger blocksUsed = new AtomicInteger();
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong generatedTokens = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong preemptions = new AtomicLong();
  private final AtomicLong runNanos = new AtomicLong();

  /** What the model's meters hear. Called on the scheduler thread. */
  interface Listener {
    void firstToken(long nanosSinceSubmit);

    void finished(GenerationResult result);

    void step(int rows, int tokens, long nanos);
  }

  GenerationScheduler(String modelId, DecoderSession session, SchedulerSettings settings, Set<Integer> eos,
      int contextLength, Adapters adapters, Listener listener) {
    this.modelId = modelId;
    this.session = session;
    this.settings = settings;
    this.eos = eos;
    this.contextLength = contextLength;
    this.adapters = adapters;
    this.listener = listener;
    long blockBytes = KvCache.blockBytes(session.layers(), session.kvHeads(), session.headDim(),
        settings.blockTokens());
    long blocks = settings.kvCacheBytes() / blockBytes;
    if (blocks < 1) {
      throw new IllegalArgumentException("kvCacheBytes " + settings.kvCacheBytes() + " holds no block of "
          + settings.blockTokens() + " tokens (" + blockBytes + " bytes for this model)");
    }
    this.cache = new KvCache(session.layers(), session.kvHeads(), session.headDim(), settings.blockTokens(),
        (int) Math.min(Integer.MAX_VALUE - 8, blocks));
    this.step = new DecoderSession.Step(session.layers(), session.kvHeads(), session.headDim(),
        session.vocabulary());
    this.row = new float[session.vocabulary()];
    this.cachePositions = (long) cache.totalBlocks() * cache.blockTokens();
    this.baseBatch = new DecodeBatch(cache, session.layers(), session.kvHeads(), session.headDim(), contextLength);
    this.thread = new Thread(this::loop, "llmops-generation-" + modelId);
    thread.setDaemon(true);
    thread.start();
  }

  /** Cache blocks under the cap. */
  int totalBlocks() {
    return cache.totalBlocks();
  }

  /** Positions per block. */
  int blockTokens() {
    return cache.blockTokens();
  }

  /**
   * Queues {@code g}.
   *
   * @throws IllegalStateException when closed
   * @throws RateLimitedException when the queue is full
   */
  void submit(Generation g) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("model '" + modelId + "' is closed");
      }
      if (queued.get() - requeued.get() >= settings.queueCapacity()) {
        throw new RateLimitedException("model '" + modelId + "' has " + queued.get() + " requests waiting (queue "
            + "capacity " + settings.queueCapacity() + "); try again later");
      }
      incoming.add(g);
      queued.incrementAndGet();
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the loop (a caller cancelled). */
  void wake() {
    lock.lock();
    try {
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  GenerationStats stats() {
    return new GenerationStats(runningCount.get(), queued.get(), blocksUsed.get(), cache.totalBlocks(), steps.get(),
        promptTokens.get(), generatedTokens.get(), finished.get(), preemptions.get(), runNanos.get());
  }

  private void loop() {
    try {
      while (true) {
        lock.lock();
        try {
          while (!closed && incoming.isEmpty() && running.isEmpty() && waiting.isEmpty()) {
            work.awaitUninterruptibly();
          }
          if (closed) {
            break;
          }
          waiting.addAll(incoming);
          incoming.clear();
        } finally {
          lock.unlock();
        }
        dropCancelled();
        adapters.closeUnused();
        if (settings.scheduling() == Scheduling.STATIC) {
          staticIteration();
        } else {
          continuousIteration();
        }
        runningCount.set(running.size());
        blocksUsed.set(cache.usedBlocks());
      }
    } catch (RuntimeException | Error e) {
      LOG.error("the generation loop of model '{}' stopped", modelId, e);
      lock.lock();
      try {
        closed = true;
      } finally {
        lock.unlock();
      }
      failAll(new UnavailableException("the generation loop of model '" + modelId + "' stopped: " + e, null, e));
      throw e;
    }
    failAll(new UnavailableException("model '" + modelId + "' closed before this request finished", null, null));
  }

  private void failAll(LlmOpsException failure) {
    List<Generation> all = new ArrayList<>(running);
    all.addAll(waiting);
    lock.lock();
    try {
      all.addAll(incoming);
      incoming.clear();
    } finally {
      lock.unlock();
    }
    running.clear();
    waiting.clear();
    for (Generation g : all) {
      if (!g.done) {
        markDone(g);
        g.fail(failure);
      }
      cache.release(g.blocks);
    }
    queued.set(0);
    requeued.set(0);
    runningCount.set(0);
    blocksUsed.set(cache.usedBlocks());
  }

  private void dropCancelled() {
    for (Iterator<Generation> it = waiting.iterator(); it.hasNext(); ) {
      Generation g = it.next();
      if (g.cancelled) {
        it.remove();
        leftQueue(g);
        finish(g, FinishReason.CANCELLED);
      }
    }
    boolean statically = settings.scheduling() == Scheduling.STATIC;
    for (Iterator<Generation> it = running.iterator(); it.hasNext(); ) {
      Generation g = it.next();
      if (g.cancelled && !g.done) {
        finish(g, FinishReason.CANCELLED);
      }
      if (g.done && !statically) {
        it.remove();
        cache.release(g.blocks);
      }
    }
  }

  // ---------------------------------------------------------------- continuous

  private void continuousIteration() {
    while (!waiting.isEmpty() && running.size() < settings.maxBatchSequences()) {
      Generation g = waiting.peekFirst();
      if (!cache.reserve(g.blocks, Math.min(g.length + 1, contextLength))) {
        break;
      }
      waiting.pollFirst();
      leftQueue(g);
      running.add(g);
    }
    prefillChunk();
    List<Generation> decoding = new ArrayList<>();
    for (Generation g : running) {
      if (g.prefilled && !g.done) {
        decoding.add(g);
      }
    }
    // Room for the position each decoding sequence writes now; preempt the newest when the cache is full.
    for (int i = 0; i < decoding.size(); i++) {
      Generation g = decoding.get(i);
      while (!g.done && running.contains(g) && !cache.reserve(g.blocks, g.cached + 1)) {
        Generation victim = newestLive();
        preempt(victim);
        decoding.remove(victim);
        if (victim == g) {
          i--;
        }
      }
    }
    usedBatches.clear();
    while (!decoding.isEmpty()) {
      Adapters.@Nullable Entry adapter = decoding.get(0).adapter;
      List<Generation> group = new ArrayList<>();
      for (Iterator<Generation> it = decoding.iterator(); it.hasNext(); ) {
        Generation g = it.next();
        if (g.adapter == adapter) {
          group.add(g);
          it.remove();
        }
      }
      decode(group);
    }
    adapterBatches.values().removeIf(b -> !usedBatches.contains(b));
    baseBatch.forgetDone();
    adapterBatches.values().forEach(DecodeBatch::forgetDone);
    for (Iterator<Generation> it = running.iterator(); it.hasNext(); ) {
      Generation g = it.next();
      if (g.done) {
        it.remove();
        cache.release(g.blocks);
      }
    }
  }

  /** The most recently admitted running sequence that has not ended. */
  private Generation newestLive() {
    for (int i = running.size() - 1; i >= 0; i--) {
      if (!running.get(i).done) {
        return running.get(i);
      }
    }
    throw new IllegalStateException("no live sequence to preempt");
  }

  private void preempt(Generation victim) {
    running.remove(victim);
    cache.release(victim.blocks);
    victim.cached = 0;
    victim.prefilled = false;
    victim.preemptions++;
    preemptions.incrementAndGet();
    waiting.addFirst(victim);
    queued.incrementAndGet();
    requeued.incrementAndGet();
    victim.requeued = true;
    LOG.debug("model '{}': preempted a sequence of {} tokens to free cache blocks", modelId, victim.length);
  }

  /**
   * Prefills up to {@code prefillChunkTokens} prompt tokens of admitted sequences, oldest first. Sequences whose
   * chunks are of similar length share a call; one whose chunk would leave more than a fifth of the call as padding
   * waits for the next call of the same iteration, since padded tokens cost as much as real ones.
   */
  private void prefillChunk() {
    int budget = settings.prefillChunkTokens();
    List<Generation> pending = new ArrayList<>();
    for (Generation g : running) {
      if (!g.prefilled && !g.done) {
        pending.add(g);
      }
    }
    while (budget > 0 && !pending.isEmpty()) {
      Adapters.@Nullable Entry adapter = pending.get(0).adapter;
      List<Generation> rows = new ArrayList<>();
      List<Integer> counts = new ArrayList<>();
      int longest = 0;
      int sum = 0;
      for (Iterator<Generation> it = pending.iterator(); it.hasNext() && budget > 0; ) {
        Generation g = it.next();
        if (g.adapter != adapter) {
          continue;
        }
        int count = Math.min(g.length - g.cached, budget);
        int widest = Math.max(longest, count);
        if (!rows.isEmpty() && (long) widest * (rows.size() + 1) * 4 > (long) (sum + count) * 5) {
          continue;
        }
        rows.add(g);
        counts.add(count);
        it.remove();
        longest = widest;
        sum += count;
        budget -= count;
      }
      run(rows, counts, adapter);
    }
  }

  /**
   * One decode step over {@code rows} (one adapter), through the persistent batch of that adapter: only each
   * sequence's new position is copied, not its whole cache.
   */
  private void decode(List<Generation> rows) {
    Adapters.@Nullable Entry adapter = rows.get(0).adapter;
    int longest = 0;
    for (Generation g : rows) {
      longest = Math.max(longest, g.cached);
    }
    if ((long) rows.size() * (longest + 1) > cachePositions) {
      // The padded tensors of one call would outgrow the cache's own size: run calls of similar lengths instead.
      List<Generation> sorted = new ArrayList<>(rows);
      sorted.sort(java.util.Comparator.comparingInt((Generation g) -> g.cached).reversed());
      int from = 0;
      while (from < sorted.size()) {
        int width = sorted.get(from).cached + 1;
        int to = from + 1;
        while (to < sorted.size() && (long) (to - from + 1) * width <= cachePositions) {
          to++;
        }
        List<Generation> part = sorted.subList(from, to);
        List<Integer> ones = new ArrayList<>(java.util.Collections.nCopies(part.size(), 1));
        run(part, ones, adapter);
        from = to;
      }
      return;
    }
    DecodeBatch batch = adapter == null ? baseBatch : adapterBatches.computeIfAbsent(adapter,
        a -> new DecodeBatch(cache, session.layers(), session.kvHeads(), session.headDim(), contextLength));
    usedBatches.add(batch);
    try {
      batch.arrange(rows);
      batch.feed(step);
      if (!runStep(rows, rows.size(), adapter)) {
        return;
      }
      batch.append(step.presentKv);
      for (Generation g : rows) {
        if (g.done) { // a finished member of a static batch: computed, not advanced
          continue;
        }
        int slot = batch.slot(g);
        cache.scatter(g.blocks, g.cached, 1, step.presentKv, slot, batch.capacity() + 1);
        g.cached += 1;
        if (g.cached < g.length) {
          continue;
        }
        step.logits.get(step.lastLogits(slot), row, 0, row.length);
        accept(g, g.sampler.next(row, 0));
      }
    } catch (RuntimeException e) {
      batch.invalidate();
      failCall(rows, e);
    }
  }

  /** Fails the live sequences of a call that broke outside ONNX Runtime; the loop and the other sequences go on. */
  private void failCall(List<Generation> rows, RuntimeException e) {
    LOG.error("model '{}': a step of {} sequences failed", modelId, rows.size(), e);
    LlmOpsException failure = e instanceof LlmOpsException l ? l : new UnavailableException("model '" + modelId
        + "' failed a generation step: " + e, null, e);
    for (Generation g : rows) {
      if (!g.done) {
        markDone(g);
        g.fail(failure);
      }
    }
  }

  /**
   * Runs the prepared {@link #step} for {@code rows} and counts it; on failure every row of the call fails (the
   * other sequences go on).
   *
   * @return whether the step ran
   */
  private boolean runStep(List<Generation> rows, int fed, Adapters.@Nullable Entry adapter) {
    long start = System.nanoTime();
    try {
      session.run(step, adapter == null ? null : adapter.options);
    } catch (LlmOpsException e) {
      LOG.warn("model '{}': a step of {} sequences failed: {}", modelId, rows.size(), e.getMessage());
      for (Generation g : rows) {
        if (!g.done) {
          markDone(g);
          g.fail(e);
        }
      }
      return false;
    }
    long nanos = System.nanoTime() - start;
    steps.incrementAndGet();
    runNanos.addAndGet(nanos);
    listener.step(rows.size(), fed, nanos);
    return true;
  }

  /**
   * One ONNX Runtime call: row {@code i} feeds {@code counts[i]} tokens of {@code rows[i]} from its cached position;
   * rows that reach their end sample their next token. On failure every row of the call fails, others go on.
   */
  private void run(List<Generation> rows, List<Integer> counts, Adapters.@Nullable Entry adapter) {
    try {
      feedAndRun(rows, counts, adapter);
    } catch (RuntimeException e) {
      failCall(rows, e);
    }
  }

  private void feedAndRun(List<Generation> rows, List<Integer> counts, Adapters.@Nullable Entry adapter) {
    int fresh = 0;
    int past = 0;
    for (int i = 0; i < rows.size(); i++) {
      fresh = Math.max(fresh, counts.get(i));
      past = Math.max(past, rows.get(i).cached);
    }
    step.shape(rows.size(), fresh, past);
    int fed = 0;
    for (int i = 0; i < rows.size(); i++) {
      Generation g = rows.get(i);
      int count = counts.get(i);
      int[] source = g.tokens;
      if (g.cached + count > g.length) { // a finished member of a static batch: feed padding
        source = new int[g.cached + count];
      }
      step.row(i, source, g.cached, count, g.cached);
      cache.gather(g.blocks, g.cached, step.pastKv, i, past);
      fed += count;
    }
    if (!runStep(rows, fed, adapter)) {
      return;
    }
    for (int i = 0; i < rows.size(); i++) {
      Generation g = rows.get(i);
      int count = counts.get(i);
      if (g.done) {
        continue;
      }
      cache.scatter(g.blocks, g.cached, count, step.presentKv, i, past + fresh);
      if (!g.prefilled) {
        promptTokens.addAndGet(count);
      }
      g.cached += count;
      if (g.cached < g.length) {
        continue;
      }
      g.prefilled = true;
      step.logits.get(step.lastLogits(i), row, 0, row.length);
      accept(g, g.sampler.next(row, 0));
    }
  }

  /** Takes a sampled token: ends the sequence on a stop condition, else appends and streams it. */
  private void accept(Generation g, int token) {
    long now = System.nanoTime();
    if (g.firstTokenNanos == 0) {
      g.firstTokenNanos = now;
      listener.firstToken(now - g.submittedNanos);
    }
    if (eos.contains(token) || g.sampling.stopTokenIds().contains(token)) {
      finish(g, FinishReason.STOP);
      return;
    }
    g.append(token);
    generatedTokens.incrementAndGet();
    String piece = g.text.add(token);
    g.emit(piece, new int[] {token});
    if (g.text.stopped()) {
      finish(g, FinishReason.STOP);
    } else if (g.generated >= g.sampling.maxNewTokens() || g.length >= contextLength) {
      finish(g, FinishReason.LENGTH);
    }
  }

  private void finish(Generation g, FinishReason reason) {
    if (g.done) {
      return;
    }
    markDone(g);
    if (settings.scheduling() == Scheduling.CONTINUOUS) {
      cache.release(g.blocks); // at once: the caller may look at the stats as soon as it has its answer
    }
    int stillRunning = 0;
    for (Generation other : running) {
      stillRunning += other.done ? 0 : 1;
    }
    runningCount.set(stillRunning);
    blocksUsed.set(cache.usedBlocks());
    String rest = g.text.flush();
    if (!rest.isEmpty()) {
      g.emit(rest, new int[0]);
    }
    long now = System.nanoTime();
    GenerationResult result = new GenerationResult(g.text.text(), g.generatedTokens(), reason, g.prompt.length,
        Duration.ofNanos(g.firstTokenNanos == 0 ? 0 : g.firstTokenNanos - g.submittedNanos),
        Duration.ofNanos(now - g.submittedNanos), g.preemptions);
    listener.finished(result);
    g.end(result);
  }

  private void leftQueue(Generation g) {
    queued.decrementAndGet();
    if (g.requeued) {
      g.requeued = false;
      requeued.decrementAndGet();
    }
  }

  private void markDone(Generation g) {
    g.done = true;
    finished.incrementAndGet();
    Adapters.release(g.adapter);
  }

  // ---------------------------------------------------------------- static

  private void staticIteration() {
    if (running.isEmpty()) {
      int longestPrompt = 0;
      int longestAnswer = 0;
      Adapters.@Nullable Entry adapter = null;
      while (!waiting.isEmpty() && running.size() < settings.maxBatchSequences()) {
        Generation g = waiting.peekFirst();
        if (!running.isEmpty() && adapter != g.adapter) {
          break;
        }
        int prompt = Math.max(longestPrompt, g.length);
        int answer = Math.max(longestAnswer, g.sampling.maxNewTokens());
        int perRow = cache.blocksFor(Math.min(prompt + answer, contextLength));
        if ((long) (running.size() + 1) * perRow > cache.totalBlocks()) {
          break;
        }
        waiting.pollFirst();
        leftQueue(g);
        running.add(g);
        adapter = g.adapter;
        longestPrompt = prompt;
        longestAnswer = answer;
      }
      if (running.isEmpty()) {
        return;
      }
      int reserve = Math.min(longestPrompt + longestAnswer, contextLength);
      for (Generation g : running) {
        if (!cache.reserve(g.blocks, reserve)) {
          throw new IllegalStateException("static batch reservation failed although it was counted");
        }
      }
      List<Integer> counts = new ArrayList<>();
      for (Generation g : running) {
        counts.add(g.length);
      }
      run(running, counts, adapter);
      return;
    }
    boolean anyLeft = false;
    for (Generation g : running) {
      anyLeft |= !g.done;
    }
    int capacity = running.get(0).blocks.size() * cache.blockTokens();
    boolean room = true;
    for (Generation g : running) {
      room &= g.done || g.cached + 1 <= capacity;
    }
    if (!anyLeft || !room) {
      for (Generation g : running) {
        finish(g, FinishReason.LENGTH);
        cache.release(g.blocks);
      }
      running.clear();
      baseBatch.forgetDone();
      adapterBatches.clear();
      return;
    }
    decode(running);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // the session must not be closed under a running step: wait on
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
