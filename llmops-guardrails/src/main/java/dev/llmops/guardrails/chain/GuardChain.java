package dev.llmops.guardrails.chain;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.TextSpan;
import dev.llmops.core.Ticker;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.Guard;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.guardrails.internal.OffsetMap;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ordered input and output guards run as one step, under a named, versioned policy.
 *
 * <pre>{@code
 * try (GuardChain chain = GuardChain.builder("support-bot", "3")
 *     .failurePolicy(FailurePolicy.FAIL_CLOSED)
 *     .input(InvisibleTextGuard.defaults())
 *     .input(injectionGuard, GuardSettings.defaults().withTimeout(Duration.ofMillis(300)))
 *     .output(piiGuard)
 *     .build()) {
 *   ChainResult in = chain.checkInput(InputContext.of(userText));
 *   if (!in.allowed()) { ... in.verdict() ... }
 * }
 * }</pre>
 *
 * <p>Each guard sees the text as the guards before it left it (a rewrite replaces the text for the rest of the
 * chain), and every finding in the result is mapped back to the text the chain was given. A guard that throws or
 * runs past its timeout is handled by its {@link FailurePolicy}, which the builder requires to be chosen
 * explicitly. An {@link GuardVerdict.Escalate} is submitted to the {@link ReviewQueue}, when one is configured.
 * Texts longer than {@link Builder#maxTextLength(int)} are blocked with a {@code TEXT_TOO_LONG} finding before any
 * guard runs.
 *
 * <p>Thread-safe; checks run on the caller's thread, except guards with a timeout, which run on at most
 * {@link Builder#maxGuardThreads(int)} daemon threads of the chain so the caller can stop waiting (a guard that
 * ignores interruption keeps its thread until it returns; when none is free, timed guards fail at once under their
 * failure policy). {@link #close()} waits for running checks, then interrupts those threads.
 */
public final class GuardChain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GuardChain.class);

  /** The default limit on the length of a checked text, in UTF-16 characters. */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 1 << 20;

  /** The default limit on threads running guards that have a timeout. */
  public static final int DEFAULT_MAX_GUARD_THREADS = 64;

  /** The default message for texts the chain blocks itself (guard failures, oversized text). */
  public static final String DEFAULT_BLOCK_MESSAGE = "Sorry, this request cannot be processed.";

  private record Entry<G extends Guard>(G guard, GuardSettings settings) {}

  private final String name;
  private final String version;
  private final ChainMode mode;
  private final FailurePolicy failurePolicy;
  private final String blockMessage;
  private final int maxTextLength;
  private final List<Entry<InputGuard>> inputs;
  private final List<Entry<OutputGuard>> outputs;
  private final @Nullable ReviewQueue reviewQueue;
  private final Ticker ticker;
  private final GuardMeters meters;
  private final @Nullable ExecutorService timedRunner;
  private final int maxGuardThreads;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private GuardChain(Builder b) {
    this.name = b.name;
    this.version = b.version;
    this.mode = b.mode;
    this.failurePolicy = Objects.requireNonNull(b.failurePolicy);
    this.blockMessage = b.blockMessage;
    this.maxTextLength = b.maxTextLength;
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    this.reviewQueue = b.reviewQueue;
    this.ticker = b.ticker;
    this.maxGuardThreads = b.maxGuardThreads;
    Map<Stage, List<String>> names = new EnumMap<>(Stage.class);
    names.put(Stage.INPUT, inputs.stream().map(e -> e.guard().name()).toList());
    names.put(Stage.OUTPUT, outputs.stream().map(e -> e.guard().name()).toList());
    this.meters = new GuardMeters(b.registry, name, names);
    boolean anyTimeout = inputs.stream().anyMatch(e -> e.settings().timeout() != null)
        || outputs.stream().anyMatch(e -> e.settings().timeout() != null);
    this.timedRunner = anyTimeout ? new ThreadPoolExecutor(0, b.maxGuardThreads, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads(name)) : null;
  }

  /**
   * Starts a chain under the policy {@code name} at {@code version}, recorded with every result.
   *
   * @throws IllegalArgumentException if either is blank
   */
  public static Builder builder(String name, String version) {
    return new Builder(name, version);
  }

  /** The policy name. */
  public String name() {
    return name;
  }

  /** The policy version. */
  public String version() {
    return version;
  }

  /** The input guards, in order. */
  public List<InputGuard> inputGuards() {
    return inputs.stream().map(Entry::guard).toList();
  }

  /** The output guards, in order. */
  public List<OutputGuard> outputGuards() {
    return outputs.stream().map(Entry::guard).toList();
  }

  /**
   * Runs the input guards on {@code input}.
   *
   * @throws IllegalStateException if the chain is closed
   */
  public ChainResult checkInput(InputContext input) {
    return run(Stage.INPUT, input.text(), inputs,
        text -> text.equals(input.text()) ? input
            : new InputContext(text, input.history(), input.tenant(), input.attributes()),
        InputGuard::check);
  }

  /**
   * Runs the output guards on {@code output}.
   *
   * @throws IllegalStateException if the chain is closed
   */
  public ChainResult checkOutput(OutputContext output) {
    return checkOutput(output, outputs);
  }

  /** Runs the output guards that a stream checks in {@code mode} (per sentence, or once at the end). */
  ChainResult checkOutput(OutputContext output, GuardSettings.Streaming mode) {
    return checkOutput(output, outputs.stream().filter(e -> streaming(e) == mode).toList());
  }

  private ChainResult checkOutput(OutputContext output, List<Entry<OutputGuard>> selected) {
    return run(Stage.OUTPUT, output.text(), selected, text -> text.equals(output.text()) ? output
        : new OutputContext(text, output.question(), output.sources(), output.toolCalls(), output.tenant(),
            output.attributes()), OutputGuard::check);
  }

  /**
   * Starts checking an answer that arrives as a token stream: completed sentences are checked by the output
   * guards set to {@link GuardSettings.Streaming#PER_SENTENCE} before they are released, and the whole answer by
   * those set to {@link GuardSettings.Streaming#AT_END} when the stream finishes.
   *
   * @param context the question, sources and tool calls of the answer; its text is ignored
   */
  public StreamingOutputCheck streamOutput(OutputContext context) {
    return new StreamingOutputCheck(this, context);
  }

  private static GuardSettings.Streaming streaming(Entry<OutputGuard> e) {
    GuardSettings.Streaming s = e.settings().streaming();
    if (s != GuardSettings.Streaming.AUTO) {
      return s;
    }
    return e.guard() instanceof WholeAnswerGuard ? GuardSettings.Streaming.AT_END : GuardSettings.Streaming.PER_SENTENCE;
  }

  private interface Check<G, C> {
    GuardVerdict check(G guard, C context);
  }

  private <G extends Guard, C> ChainResult run(
      Stage stage, String original, List<Entry<G>> entries, Function<String, C> contextFor, Check<G, C> check) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("guard chain '" + name + "' is closed");
      }
      return runOpen(stage, original, entries, contextFor, check);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private <G extends Guard, C> ChainResult runOpen(
      Stage stage, String original, List<Entry<G>> entries, Function<String, C> contextFor, Check<G, C> check) {
    List<GuardRecord> records = new ArrayList<>();
    if (original.length() > maxTextLength) {
      Finding tooLong = new Finding("TEXT_TOO_LONG", null, 1,
          "the text has " + original.length() + " characters; the policy allows " + maxTextLength);
      for (Entry<G> e : entries) {
        records.add(skipped(e, stage));
      }
      GuardVerdict verdict = GuardVerdict.block(blockMessage, 1, List.of(tooLong));
      meters.chain(stage, GuardOutcome.BLOCK);
      return new ChainResult(name, version, stage, verdict, original, records, null);
    }
    String text = original;
    List<OffsetMap> rewrites = new ArrayList<>(); // newest last; maps each rewrite's text back to the one before
    GuardVerdict stopping = null;
    double risk = 0;
    List<Finding> findings = new ArrayList<>();
    for (Entry<G> e : entries) {
      G guard = e.guard();
      if (stopping != null && mode == ChainMode.FAIL_FAST) {
        records.add(skipped(e, stage));
        continue;
      }
      long start = ticker.read();
      GuardVerdict verdict = null;
      GuardOutcome outcome;
      String error = null;
      try {
        verdict = invoke(e, contextFor.apply(text), check);
        Objects.requireNonNull(verdict, () -> "guard '" + guard.name() + "' returned no verdict");
        outcome = GuardOutcome.of(verdict);
      } catch (TimeoutException ex) {
        outcome = GuardOutcome.TIMEOUT;
        error = "timed out after " + e.settings().timeout();
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError | AssertionError ex) {
        // a guard's own failure, even one the JVM reports as an Error (a missing resource class, a deep
        // recursion), is handled by the failure policy; other Errors (VirtualMachineError...) propagate
        outcome = GuardOutcome.ERROR;
        error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        LOG.warn("guard '{}' of chain '{}' failed: {}", guard.name(), name, error);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new dev.llmops.core.CancelledException("guard chain '" + name + "' was interrupted", ex);
      }
      Duration took = Duration.ofNanos(Math.max(0, ticker.read() - start));
      meters.guard(stage, guard.name(), outcome, took);
      List<ChainFinding> mapped = new ArrayList<>();
      if (verdict != null) {
        for (Finding f : verdict.findings()) {
          TextSpan span = f.span() == null ? null : clamp(f.span(), text.length());
          mapped.add(new ChainFinding(guard.name(), f.type(), toOriginal(span, rewrites), f.score(), f.detail()));
        }
      } else {
        FailurePolicy policy = e.settings().failurePolicy() == null ? failurePolicy : e.settings().failurePolicy();
        String type = outcome == GuardOutcome.TIMEOUT ? "GUARD_TIMEOUT" : "GUARD_FAILED";
        mapped.add(new ChainFinding(guard.name(), type, null, 1,
            "guard '" + guard.name() + "' " + (outcome == GuardOutcome.TIMEOUT ? "timed out" : "failed")
                + "; failure policy " + policy));
        if (policy == FailurePolicy.FAIL_CLOSED && e.settings().enforce()) {
          verdict = GuardVerdict.block(blockMessage, 1, List.of(mapped.get(0).toFinding()));
        }
      }
      records.add(new GuardRecord(guard.name(), guard.version(), stage, outcome,
          outcome == GuardOutcome.ERROR || outcome == GuardOutcome.TIMEOUT ? null : verdict, mapped, took,
          e.settings().enforce(), error));
      if (!e.settings().enforce() || verdict == null) {
        continue;
      }
      for (ChainFinding f : mapped) {
        findings.add(f.toFinding());
      }
      risk = Math.max(risk, verdict.riskScore());
      if (verdict instanceof GuardVerdict.Rewrite r && stopping == null) {
        if (!r.text().equals(text)) {
          rewrites.add(OffsetMap.of(text, r.text(), verdict.findings()));
          text = r.text();
        }
      } else if (!verdict.allowsContinuing()) {
        if (stopping == null || severity(verdict) > severity(stopping)) {
          stopping = verdict;
        }
      }
    }
    GuardVerdict verdict;
    String ticket = null;
    if (stopping == null) {
      verdict = text.equals(original) ? new GuardVerdict.Pass(risk, findings)
          : GuardVerdict.rewrite(text, risk, findings);
    } else if (stopping instanceof GuardVerdict.Block b) {
      verdict = GuardVerdict.block(b.safeMessage(), risk, findings);
    } else if (stopping instanceof GuardVerdict.Reask r) {
      verdict = GuardVerdict.reask(r.instruction(), risk, findings);
    } else {
      String reason = ((GuardVerdict.Escalate) stopping).reason();
      verdict = GuardVerdict.escalate(reason, risk, findings);
      if (reviewQueue != null) {
        List<ChainFinding> all = records.stream().flatMap(r -> r.findings().stream()).toList();
        try {
          ticket = reviewQueue.submit(new ReviewQueue.ReviewRequest(name, version, stage, original, reason, all));
        } catch (RuntimeException e) {
          // the request stays escalated (held, not let through); it just has no ticket
          LOG.warn("guard chain '{}' could not queue an escalated request for review: {}", name, e.toString());
        }
      }
    }
    meters.chain(stage, GuardOutcome.of(verdict));
    return new ChainResult(name, version, stage, verdict, text, records, ticket);
  }

  private static int severity(GuardVerdict v) {
    if (v instanceof GuardVerdict.Block) {
      return 3;
    }
    return v instanceof GuardVerdict.Escalate ? 2 : 1;
  }

  /** A guard's span cut to the text it saw, so a guard that over-reports cannot point outside the caller's text. */
  private static TextSpan clamp(TextSpan span, int length) {
    if (span.end() <= length) {
      return span;
    }
    int start = Math.min(span.start(), length);
    return new TextSpan(start, length);
  }

  private static @Nullable TextSpan toOriginal(@Nullable TextSpan span, List<OffsetMap> rewrites) {
    if (span == null) {
      return null;
    }
    TextSpan s = span;
    for (int i = rewrites.size() - 1; i >= 0; i--) {
      s = rewrites.get(i).toOld(s);
    }
    return s;
  }

  private static <G extends Guard> GuardRecord skipped(Entry<G> e, Stage stage) {
    return new GuardRecord(e.guard().name(), e.guard().version(), stage, GuardOutcome.SKIPPED, null, List.of(),
        Duration.ZERO, e.settings().enforce(), null);
  }

  private <G extends Guard, C> GuardVerdict invoke(Entry<G> e, C context, Check<G, C> check)
      throws TimeoutException, InterruptedException {
    Duration timeout = e.settings().timeout();
    if (timeout == null || timedRunner == null) {
      return check.check(e.guard(), context);
    }
    Future<GuardVerdict> future;
    try {
      future = timedRunner.submit(() -> check.check(e.guard(), context));
    } catch (RejectedExecutionException busy) {
      // every guard thread is taken (guards that ignore interruption still running past their timeouts):
      // refusing more is what keeps a slow guard from exhausting the process; the failure policy decides
      throw new UnavailableException("no free guard thread (" + maxGuardThreads + " in use) for guard '"
          + e.guard().name() + "'", null, busy);
    }
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException ex) {
      future.cancel(true);
      throw ex;
    } catch (InterruptedException ex) {
      future.cancel(true);
      throw ex;
    } catch (ExecutionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new UnavailableException("guard '" + e.guard().name() + "' failed with " + cause, null, cause);
    }
  }

  /** Waits for running checks, then stops the chain's timeout threads; later checks throw. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
    if (timedRunner != null) {
      timedRunner.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads(String chain) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "llmops-guard-" + chain + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link GuardChain}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String version;
    private ChainMode mode = ChainMode.FAIL_FAST;
    private @Nullable FailurePolicy failurePolicy;
    private String blockMessage = DEFAULT_BLOCK_MESSAGE;
    private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
    private final List<Entry<InputGuard>> inputs = new ArrayList<>();
    private final List<Entry<OutputGuard>> outputs = new ArrayList<>();
    private @Nullable ReviewQueue reviewQueue;
    private Ticker ticker = Ticker.system();
    private MeterRegistry registry = new SimpleMeterRegistry();
    private int maxGuardThreads = DEFAULT_MAX_GUARD_THREADS;

    private Builder(String name, String version) {
      if (name.isBlank() || version.isBlank()) {
        throw new IllegalArgumentException(
            "a guard chain needs a policy name and version but got '" + name + "' and '" + version + "'");
      }
      this.name = name;
      this.version = version;
    }

    /** Fail-fast (the default) or run-all. */
    public Builder mode(ChainMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * What a guard's failure does, unless its settings say otherwise. Required: whether a broken guard lets
     * traffic through is a decision, not a default.
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.failurePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The message shown to users when the chain blocks by itself (a failed guard, an oversized text). */
    public Builder blockMessage(String message) {
      if (message.isBlank()) {
        throw new IllegalArgumentException("the block message must not be blank");
      }
      this.blockMessage = message;
      return this;
    }

    /** The longest text the chain checks; longer ones are blocked. Default {@value #DEFAULT_MAX_TEXT_LENGTH}. */
    public Builder maxTextLength(int characters) {
      if (characters < 1) {
        throw new IllegalArgumentException("max text length must be positive but was " + characters);
      }
      this.maxTextLength = characters;
      return this;
    }

    /** Adds an input guard with default settings. */
    public Builder input(InputGuard guard) {
      return input(guard, GuardSettings.defaults());
    }

    /** Adds an input guard. */
    public Builder input(InputGuard guard, GuardSettings settings) {
      inputs.add(new Entry<>(Objects.requireNonNull(guard, "guard"), Objects.requireNonNull(settings, "settings")));
      return this;
    }

    /** Adds an output guard with default settings. */
    public Builder output(OutputGuard guard) {
      return output(guard, GuardSettings.defaults());
    }

    /** Adds an output guard. */
    public Builder output(OutputGuard guard, GuardSettings settings) {
      outputs.add(new Entry<>(Objects.requireNonNull(guard, "guard"), Objects.requireNonNull(settings, "settings")));
      return this;
    }

    /** Where escalated requests go; without one, an escalation is only a verdict. */
    public Builder reviewQueue(ReviewQueue queue) {
      this.reviewQueue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /** The time source for guard durations (tests pass a fake one). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The most threads running guards with a timeout at once (default {@value #DEFAULT_MAX_GUARD_THREADS}). A guard
     * that ignores interruption keeps its thread after its timeout; when all are taken, further timed checks fail
     * at once under their failure policy instead of starting more threads.
     */
    public Builder maxGuardThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("max guard threads must be positive but was " + threads);
      }
      this.maxGuardThreads = threads;
      return this;
    }

    /** Where the chain registers its meters; default a private {@link SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the chain.
     *
     * @throws IllegalStateException if no failure policy was chosen
     */
    public GuardChain build() {
      if (failurePolicy == null) {
        throw new IllegalStateException("guard chain '" + name + "' needs an explicit failure policy: "
            + "failurePolicy(FailurePolicy.FAIL_CLOSED) or failurePolicy(FailurePolicy.FAIL_OPEN)");
      }
      return new GuardChain(this);
    }
  }
}
