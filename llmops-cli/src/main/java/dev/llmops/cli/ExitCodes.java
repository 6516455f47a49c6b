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

  private ExitCodes() {}
}
