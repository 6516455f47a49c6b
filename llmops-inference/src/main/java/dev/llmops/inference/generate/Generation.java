package dev.llmops.inference.generate;

import dev.llmops.core.CancelledException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * One sequence being generated: its tokens, cache blocks and progress (owned by the scheduler thread), and the
 * channel its caller reads pieces from (any thread).
 */
final class Generation {

  /** A piece of text and the token ids it came from (the text may be empty while a character is incomplete). */
  record Piece(String text, int[] tokens) {}

  /** The end: a result or a failure. */
  record End(@Nullable GenerationResult result, @Nullable LlmOpsException failure) {}

  final int[] prompt;
  final SamplingParameters sampling;
  final Sampler sampler;
  final TextStream text;
  final Adapters.@Nullable Entry adapter;
  final long submittedNanos;
  final KvCache.BlockTable blocks = new KvCache.BlockTable();
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Runnable wake;
  volatile boolean cancelled;

  // Scheduler thread only.
  int[] tokens;
  int length;
  /** Positions whose keys and values are in the cache. */
  int cached;
  /** Whether the whole sequence so far was fed, so the last logits give the next token. */
  boolean prefilled;
  /** Finished (or cancelled, or failed); in a static batch it may still be fed until the batch ends. */
  boolean done;
  int generated;
  int preemptions;
  /** Waiting again after a preemption. */
  boolean requeued;
  long firstTokenNanos;

  Generation(int[] prompt, SamplingParameters sampling, Sampler sampler, TextStream text, Adapters.@Nullable Entry adapter,
      long submittedNanos, Runnable wake) {
    this.prompt = prompt;
    this.sampling = sampling;
    this.sampler = sampler;
    this.text = text;
    this.adapter = adapter;
    this.submittedNanos = submittedNanos;
    this.wake = wake;
    this.tokens = Arrays.copyOf(prompt, prompt.length + Math.min(sampling.maxNewTokens(), 64));
    this.length = prompt.length;
  }

  /** Appends a generated token. */
  void append(int token) {
    if (length == tokens.length) {
      tokens = Arrays.copyOf(tokens, Math.max(length * 2, length + 1));
    }
    tokens[length++] = token;
    generated++;
  }

  /** The generated ids so far. */
  int[] generatedTokens() {
    return Arrays.copyOfRange(tokens, prompt.length, length);
  }

  void emit(String piece, int[] ids) {
    events.add(new Piece(piece, ids));
  }

  void end(GenerationResult result) {
    events.add(new End(result, null));
  }

  void fail(LlmOpsException failure) {
    events.add(new End(null, failure));
  }

  /**
   * On the caller's thread: hands pieces to {@code listener} until the end; stops early when the listener cancels
   * (the scheduler frees the sequence's cache at its next step).
   *
   * @throws LlmOpsException the failure the scheduler reported
   * @throws CancelledException when the calling thread is interrupted (its interrupt flag stays set)
   */
  GenerationResult await(@Nullable StreamListener listener) {
    StringBuilder shown = new StringBuilder();
    int[] ids = new int[0];
    long firstPiece = 0;
    try {
      while (true) {
        Object event = events.take();
        if (event instanceof Piece piece) {
          if (firstPiece == 0) {
            firstPiece = System.nanoTime();
          }
          int from = ids.length;
          ids = Arrays.copyOf(ids, from + piece.tokens().length);
          System.arraycopy(piece.tokens(), 0, ids, from, piece.tokens().length);
          if (!piece.text().isEmpty()) {
            shown.append(piece.text());
            if (listener != null) {
              try {
                listener.onToken(piece.text());
              } catch (RuntimeException | Error e) {
                cancel(); // nobody reads the rest: free the sequence's cache
                throw e;
              }
            }
          }
          if (listener != null && listener.isCancelled()) {
            cancel();
            long now = System.nanoTime();
            return new GenerationResult(shown.toString(), ids, FinishReason.CANCELLED, prompt.length,
                Duration.ofNanos(firstPiece - submittedNanos),
                Duration.ofNanos(now - submittedNanos), 0);
          }
        } else {
          End end = (End) event;
          if (end.failure() != null) {
            throw end.failure();
          }
          return java.util.Objects.requireNonNull(end.result(), "result");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new CancelledException("generation interrupted after " + ids.length + " tokens", e);
    }
  }

  private void cancel() {
    cancelled = true;
    wake.run();
  }
}
