package dev.llmops.cli;

/** The exit statuses of every {@code llmops} subcommand. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** It failed, and running it again unchanged will fail again. */
  public static final int FAILED = 1;
  /** The arguments were wrong; the message says which. */
  public static final int USAGE = 2;
  /** It failed in a way that may pass if run again later (rate limit, timeout, service unavailable). */
  public static final int RETRIABLE = 3;
  /** {@code llmops eval}: the weighted pass rate is below {@code --min-pass-rate}. */
  public static final int BELOW_THRESHOLD = 4;
  /** {@code llmops eval --compare ... --fail-on-regression}: a case that passed in the baseline regressed. */
  public static final int REGRESSED = 5;

  private ExitCodes() {}
}
