package dev.llmops.core.eval;

import dev.llmops.core.CancelledException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.Ticker;
import dev.llmops.core.chat.ChatRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a golden dataset against a target and reports per case and in total.
 *
 * <pre>{@code
 * EvalReport report = Evaluation.builder()
 *     .name("support-v8 nightly")
 *     .dataset(EvalDataset.load(Path.of("golden/support.jsonl")))
 *     .target(EvalTarget.release(router, "support-bot", "support-v8"))
 *     .repeat(3)                 // for cases that do not say
 *     .concurrency(4)
 *     .run();
 * if (report.weightedPassRate() < 0.95) { ... }
 * }</pre>
 *
 * <p>Each case runs {@code repeat} attempts (its own {@code repeat}, else the evaluation's). An attempt passes when the
 * target answered and every assertion of positive weight passed; its score is the weighted mean of the assertion
 * scores. A case passes when its share of passed attempts reaches {@link Builder#minCasePassRate} (default 1: every
 * attempt). The weighted pass rate weighs each case's pass rate by the case's weight.
 *
 * <p>Failures stay local: a target call that throws fails that attempt with the exception named; an assertion that
 * throws fails that assertion (and so the attempt) with the exception named; the other attempts and cases run.
 * Dataset rows that could not be read are listed in the report and do not run.
 *
 * <p>An {@code Evaluation} is immutable; {@link #run()} may be called again (and from several threads). With a
 * concurrency above 1 it uses that many threads of its own for the duration of the run; the target and the assertions
 * must then be thread-safe. Results are in dataset order whatever the concurrency.
 */
public final class Evaluation {

  private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final String name;
  private final EvalDataset dataset;
  private final EvalTarget target;
  private final int repeat;
  private final int concurrency;
  private final double minCasePassRate;
  private final Clock clock;
  private final Ticker ticker;

  private Evaluation(Builder b, EvalDataset dataset, EvalTarget target) {
    this.name = b.name;
    this.dataset = dataset;
    this.target = target;
    this.repeat = b.repeat;
    this.concurrency = b.concurrency;
    this.minCasePassRate = b.minCasePassRate;
    this.clock = b.clock;
    this.ticker = b.ticker;
  }

  /** Starts an evaluation. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every case and returns the report.
   *
   * @throws CancelledException if the calling thread is interrupted; the attempts in flight are interrupted too
   */
  public EvalReport run() {
    Instant started = clock.instant();
    long start = ticker.read();
    List<EvalCase> cases = dataset.cases();
    List<List<Callable<AttemptResult>>> work = new ArrayList<>(cases.size());
    for (EvalCase c : cases) {
      int n = c.repeat() > 0 ? c.repeat() : repeat;
      List<Callable<AttemptResult>> attempts = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        int number = i;
        attempts.add(() -> attempt(c, number));
      }
      work.add(attempts);
    }
    List<List<AttemptResult>> done = concurrency == 1 ? runInline(work) : runPooled(work);
    List<CaseResult> results = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      EvalCase c = cases.get(i);
      List<AttemptResult> attempts = done.get(i);
      long passed = attempts.stream().filter(AttemptResult::passed).count();
      boolean casePassed = passed >= Math.ceil(minCasePassRate * attempts.size() - 1e-9);
      results.add(new CaseResult(c.id(), c.line(), c.weight(), c.tags(), attempts, casePassed));
    }
    EvalReport report = new EvalReport(name, target.description(), started, Duration.ofNanos(ticker.read() - start),
        minCasePassRate, results, dataset.errors());
    LOG.info("evaluation {}: {}", name, report);
    return report;
  }

  private static List<List<AttemptResult>> runInline(List<List<Callable<AttemptResult>>> work) {
    List<List<AttemptResult>> done = new ArrayList<>(work.size());
    for (List<Callable<AttemptResult>> attempts : work) {
      List<AttemptResult> results = new ArrayList<>(attempts.size());
      for (Callable<AttemptResult> a : attempts) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException("the evaluation was interrupted", null);
        }
        try {
          results.add(a.call());
        } catch (Exception e) {
          throw new IllegalStateException("an attempt catches every RuntimeException", e);
        }
      }
      done.add(results);
    }
    return done;
  }

  private List<List<AttemptResult>> runPooled(List<List<Callable<AttemptResult>>> work) {
    int run = RUNS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "llmops-eval-" + run + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, factory);
    try {
      List<List<Future<AttemptResult>>> futures = new ArrayList<>(work.size());
      for (List<Callable<AttemptResult>> attempts : work) {
        List<Future<AttemptResult>> f = new ArrayList<>(attempts.size());
        for (Callable<AttemptResult> a : attempts) {
          f.add(pool.submit(a));
        }
        futures.add(f);
      }
      List<List<AttemptResult>> done = new ArrayList<>(work.size());
      for (List<Future<AttemptResult>> f : futures) {
        List<AttemptResult> results = new ArrayList<>(f.size());
        for (Future<AttemptResult> one : f) {
          results.add(one.get());
        }
        done.add(results);
      }
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("the evaluation was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error; // an assertion's AssertionError or a VirtualMachineError: not the run's to swallow
      }
      throw new IllegalStateException("an attempt catches every RuntimeException", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private AttemptResult attempt(EvalCase c, int number) {
    ChatRequest request = c.request();
    long begin = ticker.read();
    TargetAnswer answer;
    try {
      answer = target.answer(request);
    } catch (RuntimeException e) {
      LOG.debug("case {} attempt {}: the target failed", c.id(), number, e);
      return new AttemptResult(number, false, 0, List.of(), null, Duration.ofNanos(ticker.read() - begin), null,
          describe(e), null);
    }
    Duration latency = answer.latency() != null ? answer.latency() : Duration.ofNanos(ticker.read() - begin);
    EvalOutput output = new EvalOutput(c.id(), answer.response().text(), answer.response(), c.expected(), c.context(),
        latency, answer.cost(), answer.routed());
    Scored scored = score(c.assertions(), output);
    return new AttemptResult(number, scored.passed(), scored.score(), scored.results(), output.text(), latency,
        answer.cost(), null, answer.routed() == null ? null : answer.routed().requestId());
  }

  /** The result of checking one output with weighted assertions. */
  record Scored(boolean passed, double score, List<AssertionResult> results) {}

  /**
   * Checks {@code output} with every assertion; one that throws, or returns null, fails with the cause named.
   * Passed when every assertion of positive weight passed; the score is the weighted mean (1 with no weights).
   */
  static Scored score(List<WeightedAssertion> assertions, EvalOutput output) {
    List<AssertionResult> results = new ArrayList<>(assertions.size());
    boolean passed = true;
    double weighted = 0;
    double weights = 0;
    for (WeightedAssertion w : assertions) {
      AssertionResult r = check(w.assertion(), output);
      results.add(r);
      if (w.weight() > 0) {
        passed &= r.passed();
        weighted += w.weight() * r.score();
        weights += w.weight();
      }
    }
    return new Scored(passed, weights == 0 ? 1 : Math.min(1, weighted / weights), results);
  }

  private static AssertionResult check(Assertion assertion, EvalOutput output) {
    String name;
    try {
      name = assertion.name();
    } catch (RuntimeException e) {
      name = assertion.getClass().getName();
    }
    try {
      AssertionResult r = assertion.check(output);
      if (r == null) {
        return AssertionResult.fail(name, "the assertion returned no result");
      }
      return r;
    } catch (RuntimeException e) {
      LOG.debug("assertion {} threw on case {}", name, output.caseId(), e);
      return AssertionResult.fail(name, "the assertion threw " + describe(e));
    }
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /** Builds an {@link Evaluation}. Not thread-safe. */
  public static final class Builder {
    private String name = "evaluation";
    private @Nullable EvalDataset dataset;
    private @Nullable EvalTarget target;
    private int repeat = 1;
    private int concurrency = 1;
    private double minCasePassRate = 1;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** The run's name in the report (default {@code "evaluation"}). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new InvalidRequestException("an evaluation name must not be blank but was "
            + (name == null ? "null" : "'" + name + "'"));
      }
      this.name = name;
      return this;
    }

    /** The cases (required). */
    public Builder dataset(EvalDataset dataset) {
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      return this;
    }

    /** What to evaluate (required). */
    public Builder target(EvalTarget target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /**
     * Attempts per case for cases that do not give their own {@code repeat} (default 1).
     *
     * @throws InvalidRequestException if n is not in [1, 1000]
     */
    public Builder repeat(int n) {
      this.repeat = EvalCase.checkRepeat(n);
      return this;
    }

    /**
     * How many attempts run at once, on threads of the evaluation's own (default 1: in the calling thread, in order).
     *
     * @throws InvalidRequestException if n is not in [1, 256]
     */
    public Builder concurrency(int n) {
      if (n < 1 || n > 256) {
        throw new InvalidRequestException("concurrency must be from 1 to 256 but was " + n);
      }
      this.concurrency = n;
      return this;
    }

    /**
     * The share of a case's attempts that must pass for the case to pass (default 1).
     *
     * @throws InvalidRequestException if rate is not in (0, 1]
     */
    public Builder minCasePassRate(double rate) {
      if (!(rate > 0 && rate <= 1)) {
        throw new InvalidRequestException("minCasePassRate must be in (0, 1] but was " + rate);
      }
      this.minCasePassRate = rate;
      return this;
    }

    /** The clock for the report's start time (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The ticker that times attempts the target does not time itself (default {@link Ticker#system()}). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The evaluation.
     *
     * @throws InvalidRequestException if the dataset or the target is missing
     */
    public Evaluation build() {
      EvalDataset d = dataset;
      EvalTarget t = target;
      if (d == null) {
        throw new InvalidRequestException("an evaluation needs a dataset");
      }
      if (t == null) {
        throw new InvalidRequestException("an evaluation needs a target");
      }
      return new Evaluation(this, d, t);
    }

    /** {@link #build()}, then {@link Evaluation#run()}. */
    public EvalReport run() {
      return build().run();
    }
  }
}
