package dev.llmops.cli;

import dev.llmops.core.Ticker;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Standard error for a long-running command: diagnostic lines, and when it is on, one progress line redrawn in
 * place, such as {@code embedding  12,345 of 20,000 texts  1,234/s  [############........]}. Without a total (input
 * from a pipe) it shows the count and the rate only. The line is redrawn at most every 200 ms of the
 * {@link Ticker}; a diagnostic line clears it first so the two never share a line. Not thread-safe.
 */
final class Progress implements AutoCloseable {

  static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final int BAR_WIDTH = 20;

  private final PrintWriter err;
  private final boolean on;
  private final String verb;
  private final String unit;
  private final long total;
  private final Ticker ticker;
  private final long start;
  private long count;
  private long lastDraw;
  private int drawnWidth;

  private Progress(PrintWriter err, boolean on, String verb, String unit, long total, Ticker ticker) {
    this.err = err;
    this.on = on;
    this.verb = verb;
    this.unit = unit;
    this.total = total;
    this.ticker = ticker;
    this.start = ticker.read();
    this.lastDraw = start - REDRAW_NANOS;
  }

  /** No progress line; {@link #println(String)} still writes to {@code err}. */
  static Progress off(PrintWriter err) {
    return new Progress(err, false, "", "texts", -1, Ticker.system());
  }

  /**
   * A progress line on {@code err}.
   *
   * @param verb what is done, such as {@code embedding}
   * @param total the number of texts expected, or -1 when unknown
   */
  static Progress on(PrintWriter err, String verb, long total, Ticker ticker) {
    return on(err, verb, "texts", total, ticker);
  }

  /**
   * A progress line on {@code err} counting {@code unit}, such as {@code documents}.
   *
   * @param verb what is done, such as {@code indexing}
   * @param total the number expected, or -1 when unknown
   */
  static Progress on(PrintWriter err, String verb, String unit, long total, Ticker ticker) {
    return new Progress(err, true, verb, unit, total, ticker);
  }

  /** Sets the count done so far (for work that reports a running total) and redraws the line if it is due. */
  void advanceTo(long done) {
    advance(done - count);
  }

  /**
   * Whether standard error is probably a terminal, where a redrawn line makes sense. Before JDK 22,
   * {@link System#console()} is null unless the process is attached to a terminal; from JDK 22 on it also
   * returns a console when the streams are redirected, and {@code Console.isTerminal()} (called reflectively,
   * since this code is compiled for Java 17) tells the two apart. Either way it looks at standard input and
   * output, not standard error itself, which Java cannot ask about.
   */
  static boolean stderrIsProbablyATerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console));
    } catch (ReflectiveOperationException e) {
      return true; // Java 17 to 21: a console is a terminal
    }
  }

  /** Counts {@code texts} more as done and redraws the line if it is due. */
  void advance(long texts) {
    count += texts;
    if (on) {
      long now = ticker.read();
      if (now - lastDraw >= REDRAW_NANOS) {
        draw(now);
      }
    }
  }

  /** Writes a diagnostic line, clearing the progress line first; it is redrawn on the next advance. */
  void println(String line) {
    if (on && drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      drawnWidth = 0;
      lastDraw = ticker.read() - REDRAW_NANOS;
    }
    err.println(line);
    err.flush();
  }

  /** Draws the final state and ends the line, so what follows starts on a fresh line. */
  void finish() {
    if (on) {
      draw(ticker.read());
      err.println();
      err.flush();
      drawnWidth = 0;
    }
  }

  /** Ends a drawn line without finishing, so that an error printed next starts on a line of its own. */
  @Override
  public void close() {
    if (on && drawnWidth > 0) {
      err.println();
      err.flush();
      drawnWidth = 0;
    }
  }

  /** The texts counted so far. */
  long count() {
    return count;
  }

  /** The progress line at {@code now} (ticker nanoseconds), without carriage returns. */
  String line(long now) {
    long elapsed = now - start;
    long rate = elapsed > 0 ? Math.round(count * 1e9 / elapsed) : 0;
    StringBuilder line = new StringBuilder(verb).append("  ");
    if (total >= 0) {
      line.append(String.format(Locale.ROOT, "%,d of %,d %s  %,d/s  [", count, total, unit, rate));
      int filled = total == 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, count * BAR_WIDTH / total);
      line.append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']');
    } else {
      line.append(String.format(Locale.ROOT, "%,d %s  %,d/s", count, unit, rate));
    }
    return line.toString();
  }

  private void draw(long now) {
    String line = line(now);
    err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
    err.flush();
    drawnWidth = line.length();
    lastDraw = now;
  }
}
