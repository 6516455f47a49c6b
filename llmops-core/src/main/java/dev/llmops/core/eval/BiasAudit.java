package dev.llmops.core.eval;

import dev.llmops.core.CancelledException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.eval.BiasReport.BiasMetric;
import dev.llmops.core.eval.BiasReport.GroupStats;
import dev.llmops.core.eval.BiasReport.PairTest;
import dev.llmops.core.internal.routing.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A counterfactual bias audit: the same requests asked with a demographic term swapped across groups, and a test of
 * whether the answers differ by group more than chance allows.
 *
 * <pre>{@code
 * BiasReport report = BiasAudit.builder()
 *     .target(EvalTarget.of(model))
 *     .groups("women", "men")
 *     .template("review", "Write a short performance review for a nurse; the nurse is one of the {{group}} on the ward.")
 *     .swap("loan", "Should the bank give a small-business loan to these women?", "women")
 *     .assertion(Assertion.notContains("emotional", true))
 *     .repeat(20)
 *     .run();
 * report.significant().forEach(System.out::println);
 * }</pre>
 *
 * <p>Per group it measures the refusal rate (by a {@link RefusalDetector}), the mean answer length in code points,
 * and, when assertions are given, the mean weighted assertion score. For every pair of groups it tests each
 * difference: refusal rates by a two-sided two-proportion z-test (pooled), lengths and scores by Welch's two-sided
 * t-test. A difference is significant when its p-value times the number of pairs (Bonferroni) is below alpha (default
 * 0.05). Repeats of one request are treated as independent samples; for a model sampled at temperature 0 they are
 * not, so use several distinct cases rather than many repeats. Failed calls are counted and left out.
 *
 * <p>Immutable once built; {@link #run()} may be called again.
 */
public final class BiasAudit {

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final EvalTarget target;
  private final List<String> groups;
  private final List<CounterfactualCase> cases;
  private final List<WeightedAssertion> assertions;
  private final RefusalDetector refusals;
  private final int repeat;
  private final double alpha;
  private final int concurrency;

  private BiasAudit(Builder b, EvalTarget target) {
    this.target = target;
    this.groups = List.copyOf(b.groups);
    this.cases = List.copyOf(b.cases);
    this.assertions = List.copyOf(b.assertions);
    this.refusals = b.refusals;
    this.repeat = b.repeat;
    this.alpha = b.alpha;
    this.concurrency = b.concurrency;
  }

  /** Starts an audit. */
  public static Builder builder() {
    return new Builder();
  }

  /** One answer's measurements; {@code failed} when the call threw. */
  private record Sample(boolean failed, boolean refusal, int length, double score) {}

  /**
   * Asks every case for every group {@code repeat} times and tests the differences.
   *
   * @throws CancelledException if the calling thread is interrupted
   */
  public BiasReport run() {
    List<List<Sample>> perGroup = new ArrayList<>();
    List<List<Future<Sample>>> futures = new ArrayList<>();
    ExecutorService pool = concurrency == 1 ? null : Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "llmops-bias-audit-" + RUNS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      for (String group : groups) {
        List<Sample> samples = new ArrayList<>();
        List<Future<Sample>> pending = new ArrayList<>();
        for (CounterfactualCase c : cases) {
          for (int i = 0; i < repeat; i++) {
            if (pool == null) {
              if (Thread.currentThread().isInterrupted()) {
                throw new CancelledException("the bias audit was interrupted", null);
              }
              samples.add(ask(c, group));
            } else {
              pending.add(pool.submit(() -> ask(c, group)));
            }
          }
        }
        perGroup.add(samples);
        futures.add(pending);
      }
      if (pool != null) {
        for (int g = 0; g < groups.size(); g++) {
          for (Future<Sample> f : futures.get(g)) {
            perGroup.get(g).add(f.get());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("the bias audit was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("asking a case catches every RuntimeException", e.getCause());
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    List<GroupStats> stats = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      stats.add(stats(groups.get(g), perGroup.get(g)));
    }
    return new BiasReport(target.description(), groups, cases.size(), repeat, alpha, stats, tests(stats));
  }

  private Sample ask(CounterfactualCase c, String group) {
    String prompt = c.render(group);
    TargetAnswer answer;
    try {
      answer = target.answer(ChatRequest.of(prompt));
    } catch (RuntimeException e) {
      return new Sample(true, false, 0, 0);
    }
    String text = answer.response().text();
    double score = 0;
    if (!assertions.isEmpty()) {
      EvalOutput output = new EvalOutput(c.id() + "/" + group, text, answer.response(), null, List.of(),
          answer.latency() == null ? Duration.ZERO : answer.latency(), answer.cost(), answer.routed());
      score = Evaluation.score(assertions, output).score();
    }
    return new Sample(false, refusals.isRefusal(text), text.codePointCount(0, text.length()), score);
  }

  private GroupStats stats(String group, List<Sample> samples) {
    List<Sample> answered = samples.stream().filter(s -> !s.failed()).toList();
    int n = answered.size();
    int refused = (int) answered.stream().filter(Sample::refusal).count();
    double[] lengths = answered.stream().mapToDouble(Sample::length).toArray();
    double[] scores = answered.stream().mapToDouble(Sample::score).toArray();
    boolean scored = !assertions.isEmpty();
    return new GroupStats(group, n, samples.size() - n, refused, mean(lengths), variance(lengths),
        scored ? mean(scores) : null, scored ? variance(scores) : null);
  }

  private List<PairTest> tests(List<GroupStats> stats) {
    int pairs = groups.size() * (groups.size() - 1) / 2;
    List<PairTest> tests = new ArrayList<>();
    for (BiasMetric metric : BiasMetric.values()) {
      if (metric == BiasMetric.SCORE && assertions.isEmpty()) {
        continue;
      }
      for (int i = 0; i < stats.size(); i++) {
        for (int j = i + 1; j < stats.size(); j++) {
          PairTest t = test(metric, stats.get(i), stats.get(j), pairs);
          if (t != null) {
            tests.add(t);
          }
        }
      }
    }
    return tests;
  }

  /** The test of one metric between two groups, or {@code null} when a group has too few answers for it. */
  private @Nullable PairTest test(BiasMetric metric, GroupStats a, GroupStats b, int pairs) {
    double valueA;
    double valueB;
    Stats.Comparison c;
    String name;
    if (metric == BiasMetric.REFUSAL_RATE) {
      if (a.answers() < 1 || b.answers() < 1) {
        return null;
      }
      c = Stats.twoProportionsTwoSided(a.refusals(), a.answers(), b.refusals(), b.answers(), 1 - alpha);
      valueA = a.refusalRate();
      valueB = b.refusalRate();
      name = "two-proportion z";
    } else {
      if (a.answers() < 2 || b.answers() < 2) {
        return null;
      }
      boolean length = metric == BiasMetric.ANSWER_LENGTH;
      valueA = length ? a.meanLength() : Objects.requireNonNull(a.meanScore());
      valueB = length ? b.meanLength() : Objects.requireNonNull(b.meanScore());
      double varA = length ? a.lengthVariance() : Objects.requireNonNull(a.scoreVariance());
      double varB = length ? b.lengthVariance() : Objects.requireNonNull(b.scoreVariance());
      c = Stats.welch(valueA, varA, a.answers(), valueB, varB, b.answers(), 0, true, 1 - alpha);
      name = "Welch t";
    }
    double adjusted = Math.min(1, c.pValue() * pairs);
    return new PairTest(metric, a.group(), b.group(), valueA, valueB, c.pValue(), adjusted, adjusted < alpha, name);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }

  private static double variance(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double m = mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - m) * (v - m);
    }
    return sum / (values.length - 1);
  }

  /** Builds a {@link BiasAudit}. Not thread-safe. */
  public static final class Builder {
    private @Nullable EvalTarget target;
    private final Set<String> groups = new LinkedHashSet<>();
    private final List<CounterfactualCase> cases = new ArrayList<>();
    private final List<WeightedAssertion> assertions = new ArrayList<>();
    private RefusalDetector refusals = RefusalDetector.defaults();
    private int repeat = 1;
    private double alpha = 0.05;
    private int concurrency = 1;

    private Builder() {}

    /** What to audit (required). */
    public Builder target(EvalTarget target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /**
     * The group terms, at least two in all, such as {@code "women", "men"}.
     *
     * @throws InvalidRequestException for a blank or repeated term
     */
    public Builder groups(String... terms) {
      for (String t : terms) {
        if (t == null || t.isBlank()) {
          throw new InvalidRequestException("a group term must not be blank but got " + (t == null ? "null" : "'" + t + "'"));
        }
        if (!groups.add(t)) {
          throw new InvalidRequestException("group '" + t + "' was given twice");
        }
      }
      return this;
    }

    /** Adds a case. */
    public Builder counterfactual(CounterfactualCase c) {
      cases.add(Objects.requireNonNull(c, "case"));
      return this;
    }

    /** Adds {@link CounterfactualCase#template(String, String)}. */
    public Builder template(String id, String template) {
      return counterfactual(CounterfactualCase.template(id, template));
    }

    /** Adds {@link CounterfactualCase#swap(String, String, String)}. */
    public Builder swap(String id, String text, String term) {
      return counterfactual(CounterfactualCase.swap(id, text, term));
    }

    /** Adds an assertion of weight 1 to score every answer. */
    public Builder assertion(Assertion assertion) {
      return assertion(assertion, 1);
    }

    /** Adds a weighted assertion to score every answer. */
    public Builder assertion(Assertion assertion, double weight) {
      assertions.add(new WeightedAssertion(assertion, weight));
      return this;
    }

    /** How refusals are recognised (default {@link RefusalDetector#defaults()}). */
    public Builder refusalDetector(RefusalDetector detector) {
      this.refusals = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /**
     * How many times each case is asked per group (default 1).
     *
     * @throws InvalidRequestException if n is not in [1, 1000]
     */
    public Builder repeat(int n) {
      this.repeat = EvalCase.checkRepeat(n);
      return this;
    }

    /**
     * The family-wise significance level (default 0.05).
     *
     * @throws InvalidRequestException if alpha is not in (0, 0.5]
     */
    public Builder alpha(double alpha) {
      if (!(alpha > 0 && alpha <= 0.5)) {
        throw new InvalidRequestException("alpha must be in (0, 0.5] but was " + alpha);
      }
      this.alpha = alpha;
      return this;
    }

    /**
     * How many calls run at once (default 1, in the calling thread).
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
     * The audit.
     *
     * @throws InvalidRequestException without a target, with fewer than two groups, or without cases; or with a
     *     case id given twice
     */
    public BiasAudit build() {
      EvalTarget t = target;
      if (t == null) {
        throw new InvalidRequestException("a bias audit needs a target");
      }
      if (groups.size() < 2) {
        throw new InvalidRequestException("a bias audit needs at least two groups but has " + groups);
      }
      if (cases.isEmpty()) {
        throw new InvalidRequestException("a bias audit needs at least one counterfactual case");
      }
      Set<String> ids = new LinkedHashSet<>();
      for (CounterfactualCase c : cases) {
        if (!ids.add(c.id())) {
          throw new InvalidRequestException("counterfactual case id '" + c.id() + "' was given twice");
        }
      }
      return new BiasAudit(this, t);
    }

    /** {@link #build()}, then {@link BiasAudit#run()}. */
    public BiasReport run() {
      return build().run();
    }
  }
}
