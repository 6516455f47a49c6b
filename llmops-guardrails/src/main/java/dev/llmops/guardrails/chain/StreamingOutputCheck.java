package dev.llmops.guardrails.chain;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.internal.Sentences;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks an answer while it streams. Push each token (or any piece of text) as it arrives; the check holds text
 * back until a sentence is complete, runs the chain's per-sentence output guards on it, and releases the sentence
 * (rewritten where a guard rewrote it). When a guard blocks, re-asks or escalates, the stream stops: nothing more
 * is released and {@link #stopped()} holds the result. {@link #finish()} checks the last sentence and then runs the
 * guards set to {@link GuardSettings.Streaming#AT_END} on the whole released answer.
 *
 * <p>A sentence counts as complete when the sentence splitter sees the start of the next one, or at a line break.
 * Text that grows past {@link #MAX_HELD_CHARACTERS} without a sentence end is checked and released as it is, so a
 * stream without punctuation is not held forever. An open code fence or {@code -----BEGIN} key block is held until
 * it closes (up to eight times that limit), so multi-line secrets are checked whole. Tool calls are checked once,
 * at the end. Not thread-safe: one stream, one consumer thread.
 */
public final class StreamingOutputCheck {

  /** The most text held back waiting for a sentence to end. */
  public static final int MAX_HELD_CHARACTERS = 2_000;

  /**
   * What one push released.
   *
   * @param released text that passed the per-sentence guards and may be shown now (possibly empty)
   * @param stop the chain result that stopped the stream, or {@code null} while it goes on
   */
  public record Step(String released, @Nullable ChainResult stop) {
    /** Whether the stream was stopped. */
    public boolean stopped() {
      return stop != null;
    }
  }

  private final GuardChain chain;
  private final OutputContext context;
  private final StringBuilder held = new StringBuilder();
  private final StringBuilder released = new StringBuilder();
  private final List<ChainResult> results = new ArrayList<>();
  private @Nullable ChainResult stop;
  private boolean finished;

  StreamingOutputCheck(GuardChain chain, OutputContext context) {
    this.chain = chain;
    this.context = context;
  }

  /**
   * Adds streamed text.
   *
   * @param delta the next piece of the answer
   * @return what may be shown now
   * @throws IllegalStateException after {@link #finish()}
   */
  public Step push(String delta) {
    Objects.requireNonNull(delta, "delta");
    if (finished) {
      throw new IllegalStateException("the stream was already finished");
    }
    if (stop != null) {
      return new Step("", stop);
    }
    held.append(delta);
    int cut = completedPrefix();
    int open = openBlockStart();
    if (open >= 0 && held.length() <= MAX_HELD_CHARACTERS * 8) {
      // a code block or a key block is held whole, so a secret is never checked (or released) in halves
      cut = Math.min(cut, open);
    } else if (cut == 0 && held.length() > MAX_HELD_CHARACTERS) {
      cut = held.length();
    }
    return cut == 0 ? new Step("", null) : release(cut);
  }

  /**
   * Ends the stream: checks the held text, then runs the at-end guards on the whole released answer.
   *
   * @return the last released text; {@link Step#stop()} is the at-end result when an at-end guard objected
   */
  public Step finish() {
    if (finished) {
      throw new IllegalStateException("the stream was already finished");
    }
    finished = true;
    if (stop != null) {
      return new Step("", stop);
    }
    Step last = held.length() == 0 ? new Step("", null) : release(held.length());
    if (last.stopped()) {
      return last;
    }
    ChainResult atEnd = chain.checkOutput(withText(released.toString(), true), GuardSettings.Streaming.AT_END);
    results.add(atEnd);
    if (!atEnd.allowed() || !atEnd.text().equals(released.toString())) {
      stop = atEnd;
      return new Step(last.released(), atEnd);
    }
    return last;
  }

  /** The result that stopped the stream, or {@code null}. */
  public @Nullable ChainResult stopped() {
    return stop;
  }

  /** Everything released so far. */
  public String releasedText() {
    return released.toString();
  }

  /**
   * The chain result of every checked piece, in order, then the at-end result (lineage records these). Spans in
   * a piece's findings are offsets into that piece; add the length of the text released before it to place them in
   * the whole answer.
   */
  public List<ChainResult> results() {
    return List.copyOf(results);
  }

  /** Where an unclosed code fence or {@code -----BEGIN} block in the held text starts, or -1. */
  private int openBlockStart() {
    String text = held.toString();
    int open = -1;
    int fences = 0;
    int lastFence = -1;
    for (int at = text.indexOf("```"); at >= 0; at = text.indexOf("```", at + 3)) {
      fences++;
      lastFence = at;
    }
    if (fences % 2 == 1) {
      open = lastFence;
    }
    int begin = text.lastIndexOf("-----BEGIN ");
    if (begin >= 0 && text.indexOf("-----END ", begin) < 0) {
      open = open < 0 ? begin : Math.min(open, begin);
    }
    return open;
  }

  private int completedPrefix() {
    String text = held.toString();
    int newline = text.lastIndexOf('\n');
    List<TextSpan> sentences = Sentences.split(text);
    int cut = 0;
    if (sentences.size() >= 2) {
      cut = sentences.get(sentences.size() - 1).start();
    }
    if (newline >= 0 && newline + 1 > cut) {
      cut = newline + 1;
    }
    return cut;
  }

  private Step release(int cut) {
    String piece = held.substring(0, cut);
    held.delete(0, cut);
    if (piece.isBlank()) {
      released.append(piece);
      return new Step(piece, null);
    }
    ChainResult result = chain.checkOutput(withText(piece, false), GuardSettings.Streaming.PER_SENTENCE);
    results.add(result);
    if (!result.allowed()) {
      stop = result;
      held.setLength(0);
      return new Step("", result);
    }
    String out = result.verdict() instanceof GuardVerdict.Rewrite r ? r.text() : piece;
    released.append(out);
    return new Step(out, null);
  }

  /** The context of a piece; tool calls belong to the whole answer, so only the at-end check sees them. */
  private OutputContext withText(String text, boolean whole) {
    return new OutputContext(text, context.question(), context.sources(),
        whole ? context.toolCalls() : List.of(), context.tenant(), context.attributes());
  }
}
