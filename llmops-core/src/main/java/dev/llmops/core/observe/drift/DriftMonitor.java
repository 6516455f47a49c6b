package dev.llmops.core.observe.drift;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.internal.drift.DriftStats;
import dev.llmops.core.internal.drift.KMeans;
import dev.llmops.core.internal.routing.Stats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a stream of {@link DriftSample}s for drift against a reference window: of the inputs' topic mix (k-means
 * clusters of their embeddings) and of the outputs (guard block rate, grounded fraction, answer length). Each
 * {@link DriftMetric} has an effect-size statistic with a threshold and a two-sample test; a metric drifts when its
 * statistic exceeds the threshold <em>and</em> its p-value is below alpha, so that neither a tiny but significant
 * shift in a huge window nor a large but noisy one in a small window alarms.
 *
 * <p>Windows: the first window (by count or by time) becomes the reference, unless one is given with
 * {@link Builder#reference}; every later window is compared with it when it closes. A count window closes on the
 * sample that fills it. A time window lasts its duration from when the previous one closed (the reference's from
 * when the monitor was built) and closes on the first {@link #record} or {@link #tick} at or after its end; a time
 * window keeps at most {@link Builder#maxWindowSamples} samples, a uniform sample (reservoir sampling) of what
 * arrived. When a window closes, every drifted metric becomes a {@link DriftEvent} for the listeners.
 *
 * <p>Input drift: k-means++ with {@link Builder#clusters k} clusters (seeded: the same data gives the same clusters)
 * is fitted on the reference's embeddings; a window's embeddings are assigned to the nearest centroid, and the two
 * cluster histograms are compared by the population stability index (PSI, shares smoothed by half a count) and by
 * the chi-square test of homogeneity. Input drift is checked only if the reference held at least
 * max(k, minSamples) embeddings.
 *
 * <p>A metric is checked only when the reference and the window each hold at least {@link Builder#minSamples}
 * samples that carry it; the others are left out of the window's checks.
 *
 * <pre>{@code
 * DriftMonitor monitor = DriftMonitor.builder()
 *     .window(Duration.ofHours(1))                 // the first hour is the reference
 *     .listener(event -> alerts.send(event.metric() + " drifted: " + event.statistic()))
 *     .build();
 * monitor.record(new DriftSample(embedding, verdict.blocked(), groundedFraction, answer.length()));
 * }</pre>
 *
 * <p>Thread-safe: samples may be recorded from many threads. Listeners are called on the thread whose call closed
 * the window, after the monitor's lock is released; an exception from a listener is logged and does not reach the
 * caller or the other listeners.
 */
public final class DriftMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
  private static final int MAX_ITERATIONS = 100;

  private final int clusters;
  private final long seed;
  private final double alpha;
  private final double psiThreshold;
  private final double blockRateThreshold;
  private final double groundedThreshold;
  private final double answerLengthThreshold;
  private final int minSamples;
  private final int windowCount;
  private final @Nullable Duration windowDuration;
  private final int referenceCount;
  private final @Nullable Duration referenceDuration;
  private final int maxWindowSamples;
  private final Clock clock;
  private final List<Consumer<DriftEvent>> listeners;

  private final Object lock = new Object();
  private final SplittableRandom reservoirRandom;
  private @Nullable Reference reference;
  private List<DriftSample> buffer = new ArrayList<>();
  private long seenInWindow;
  private Instant windowStart;
  private int dimension = -1;
  private List<DriftCheck> lastChecks = List.of();

  private DriftMonitor(Builder b) {
    this.clusters = b.clusters;
    this.seed = b.seed;
    this.alpha = b.alpha;
    this.psiThreshold = b.psiThreshold;
    this.blockRateThreshold = b.blockRateThreshold;
    this.groundedThreshold = b.groundedThreshold;
    this.answerLengthThreshold = b.answerLengthThreshold;
    this.minSamples = b.minSamples;
    this.windowCount = b.windowCount;
    this.windowDuration = b.windowDuration;
    boolean referenceSet = b.referenceCount > 0 || b.referenceDuration != null;
    this.referenceCount = referenceSet ? b.referenceCount : b.windowCount;
    this.referenceDuration = referenceSet ? b.referenceDuration : b.windowDuration;
    this.maxWindowSamples = b.maxWindowSamples;
    this.clock = b.clock;
    this.listeners = List.copyOf(b.listeners);
    this.reservoirRandom = new SplittableRandom(b.seed);
    this.windowStart = clock.instant();
    if (b.fixedReference != null) {
      for (DriftSample s : b.fixedReference) {
        checkDimension(s);
      }
      this.reference = fitReference(b.fixedReference);
    }
  }

  /** A builder with the defaults: windows of 1000 samples, 10 clusters, alpha 0.01, the thresholds it lists. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a sample to the window in progress, first closing that window if its time is up (the sample then opens
   * the next one), and closing it after the sample if that filled a count window.
   *
   * @param sample the request's sample
   * @return the checks of the window this call closed against the reference; empty when it closed none, or closed
   *     the reference window
   * @throws InvalidRequestException if the sample's embedding has another dimension than the ones seen before
   */
  public List<DriftCheck> record(DriftSample sample) {
    List<DriftCheck> checks = List.of();
    Instant now;
    synchronized (lock) {
      checkDimension(sample);
      now = clock.instant();
      if (timeUp(now)) {
        checks = closeLocked(now);
      }
      add(sample);
      if (countReached()) {
        checks = closeLocked(now);
      }
    }
    publish(checks, now);
    return checks;
  }

  /**
   * Closes the window in progress if it is a time window whose end has passed; for schedulers, so that a quiet
   * stream still gets its windows checked.
   *
   * @return the checks of the window closed, or empty
   */
  public List<DriftCheck> tick() {
    List<DriftCheck> checks = List.of();
    Instant now;
    synchronized (lock) {
      now = clock.instant();
      if (timeUp(now)) {
        checks = closeLocked(now);
      }
    }
    publish(checks, now);
    return checks;
  }

  /**
   * Closes the window in progress now, however full: while the reference is being collected, it becomes the
   * reference (if it holds any sample); after that, it is checked against the reference.
   *
   * @return the window's checks; empty while the reference was being collected or when the window was empty
   */
  public List<DriftCheck> closeWindow() {
    List<DriftCheck> checks;
    Instant now;
    synchronized (lock) {
      now = clock.instant();
      checks = closeLocked(now);
    }
    publish(checks, now);
    return checks;
  }

  /** Drops the reference: the next window to close becomes the new reference. The window in progress is kept. */
  public void resetReference() {
    synchronized (lock) {
      reference = null;
    }
  }

  /** Whether the reference is in place (collected or given). */
  public boolean hasReference() {
    synchronized (lock) {
      return reference != null;
    }
  }

  /** The checks of the last window closed against the reference; empty before the first. */
  public List<DriftCheck> lastChecks() {
    synchronized (lock) {
      return lastChecks;
    }
  }

  /**
   * Compares two sets of samples with this monitor's settings, without touching its windows or calling listeners:
   * for offline analysis and for tests.
   *
   * @param reference the reference samples
   * @param current the samples to check against them
   * @return one check per metric that both sides carry in at least {@code minSamples} samples, in
   *     {@link DriftMetric} order
   * @throws InvalidRequestException if embeddings of different dimensions are mixed
   */
  public List<DriftCheck> compare(Collection<DriftSample> reference, Collection<DriftSample> current) {
    int dim = -1;
    for (Collection<DriftSample> side : List.of(reference, current)) {
      for (DriftSample s : side) {
        float[] e = s.embeddingUnsafe();
        if (e != null) {
          if (dim >= 0 && e.length != dim) {
            throw new InvalidRequestException("embedding has dimension " + e.length + ", earlier ones have " + dim);
          }
          dim = e.length;
        }
      }
    }
    return evaluate(fitReference(reference), current);
  }

  // ------------------------------------------------------------------ windows

  private boolean inReference() {
    return reference == null;
  }

  private @Nullable Duration currentDuration() {
    return inReference() ? referenceDuration : windowDuration;
  }

  private boolean timeUp(Instant now) {
    Duration d = currentDuration();
    return d != null && !now.isBefore(windowStart.plus(d));
  }

  private boolean countReached() {
    return currentDuration() == null && buffer.size() >= (inReference() ? referenceCount : windowCount);
  }

  private void add(DriftSample sample) {
    seenInWindow++;
    if (buffer.size() < maxWindowSamples) {
      buffer.add(sample);
    } else {
      long slot = reservoirRandom.nextLong(seenInWindow);
      if (slot < maxWindowSamples) {
        buffer.set((int) slot, sample);
      }
    }
  }

  private List<DriftCheck> closeLocked(Instant now) {
    List<DriftSample> closed = buffer;
    buffer = new ArrayList<>();
    seenInWindow = 0;
    windowStart = now;
    if (closed.isEmpty()) {
      return List.of();
    }
    Reference ref = reference;
    if (ref == null) {
      reference = fitReference(closed);
      LOG.info("drift reference set from {} samples", closed.size());
      return List.of();
    }
    lastChecks = evaluate(ref, closed);
    return lastChecks;
  }

  private void checkDimension(DriftSample sample) {
    float[] e = sample.embeddingUnsafe();
    if (e != null) {
      if (dimension >= 0 && e.length != dimension) {
        throw new InvalidRequestException("embedding has dimension " + e.length + ", earlier ones have " + dimension);
      }
      dimension = e.length;
    }
  }

  private void publish(List<DriftCheck> checks, Instant now) {
    for (DriftCheck check : checks) {
      if (!check.drifted()) {
        continue;
      }
      DriftEvent event = DriftEvent.of(check, now);
      LOG.debug("drift: {}", event);
      for (Consumer<DriftEvent> listener : listeners) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          LOG.warn("a drift listener failed on {}", event.metric(), e);
        }
      }
    }
  }

  // ------------------------------------------------------------------ statistics

  /** The reference, reduced to what the checks need. */
  private record Reference(
      @Nullable KMeans clusters, long @Nullable [] histogram, int embeddings, long blocked, int blockTrials,
      Moments grounded, double[] lengths) {}

  /** What a window of samples holds, per metric. */
  private record Summary(List<float[]> embeddings, long blocked, int trials, Moments grounded, List<Integer> lengths) {

    static Summary of(Collection<DriftSample> samples) {
      List<float[]> embeddings = new ArrayList<>();
      long blocked = 0;
      int trials = 0;
      Moments grounded = new Moments();
      List<Integer> lengths = new ArrayList<>();
      for (DriftSample s : samples) {
        float[] e = s.embeddingUnsafe();
        if (e != null) {
          embeddings.add(e);
        }
        if (s.blocked() != null) {
          trials++;
          blocked += s.blocked() ? 1 : 0;
        }
        if (s.groundedFraction() != null) {
          grounded.add(s.groundedFraction());
        }
        if (s.answerLength() != null) {
          lengths.add(s.answerLength());
        }
      }
      return new Summary(embeddings, blocked, trials, grounded, lengths);
    }
  }

  /** Count, mean and sample variance (Welford). */
  private static final class Moments {
    long n;
    double mean;
    double m2;

    void add(double x) {
      n++;
      double delta = x - mean;
      mean += delta / n;
      m2 += delta * (x - mean);
    }

    double variance() {
      return n > 1 ? Math.max(0, m2 / (n - 1)) : 0;
    }
  }

  private Reference fitReference(Collection<DriftSample> samples) {
    Summary w = Summary.of(samples);
    List<float[]> embeddings = w.embeddings();
    long blocked = w.blocked();
    int trials = w.trials();
    Moments grounded = w.grounded();
    List<Integer> lengths = w.lengths();
    KMeans km = null;
    long[] histogram = null;
    if (embeddings.size() >= Math.max(clusters, minSamples)) {
      km = KMeans.fit(embeddings.toArray(new float[0][]), clusters, seed, MAX_ITERATIONS);
      histogram = km.histogram(embeddings);
    }
    return new Reference(km, histogram, embeddings.size(), blocked, trials, grounded, toArray(lengths));
  }

  private List<DriftCheck> evaluate(Reference ref, Collection<DriftSample> current) {
    Summary w = Summary.of(current);
    List<float[]> embeddings = w.embeddings();
    long blocked = w.blocked();
    int trials = w.trials();
    Moments grounded = w.grounded();
    List<Integer> lengths = w.lengths();
    List<DriftCheck> checks = new ArrayList<>(4);
    KMeans km = ref.clusters();
    long[] refHistogram = ref.histogram();
    if (km != null && refHistogram != null && embeddings.size() >= minSamples) {
      DriftStats.HistogramComparison c = DriftStats.compareHistograms(refHistogram, km.histogram(embeddings));
      checks.add(check(DriftMetric.INPUT_EMBEDDING, c.psi(), psiThreshold, c.pValue(), ref.embeddings(),
          embeddings.size()));
    }
    if (ref.blockTrials() >= minSamples && trials >= minSamples) {
      Stats.Comparison c = Stats.twoProportionsTwoSided(blocked, trials, ref.blocked(), ref.blockTrials(), 0.95);
      checks.add(check(DriftMetric.GUARD_BLOCK_RATE, Math.abs(c.difference()), blockRateThreshold, c.pValue(),
          ref.blockTrials(), trials));
    }
    Moments refGrounded = ref.grounded();
    if (refGrounded.n >= Math.max(2, minSamples) && grounded.n >= Math.max(2, minSamples)) {
      Stats.Comparison c = Stats.welch(grounded.mean, grounded.variance(), grounded.n, refGrounded.mean,
          refGrounded.variance(), refGrounded.n, 0, true, 0.95);
      checks.add(check(DriftMetric.GROUNDED_FRACTION, Math.abs(c.difference()), groundedThreshold, c.pValue(),
          (int) refGrounded.n, (int) grounded.n));
    }
    if (ref.lengths().length >= minSamples && lengths.size() >= minSamples) {
      double[] cur = toArray(lengths);
      Stats.RankTest greater = Stats.mannWhitneyGreater(cur, ref.lengths());
      Stats.RankTest less = Stats.mannWhitneyGreater(ref.lengths(), cur);
      double pValue = Math.min(1, 2 * Math.min(greater.pValue(), less.pValue()));
      checks.add(check(DriftMetric.ANSWER_LENGTH, Math.abs(greater.probabilityGreater() - 0.5),
          answerLengthThreshold, pValue, ref.lengths().length, lengths.size()));
    }
    return List.copyOf(checks);
  }

  private DriftCheck check(DriftMetric metric, double statistic, double threshold, double pValue, int referenceSize,
      int currentSize) {
    return new DriftCheck(metric, statistic, threshold, pValue, statistic > threshold && pValue < alpha,
        referenceSize, currentSize);
  }

  private static double[] toArray(List<Integer> values) {
    double[] array = new double[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  /**
   * Settings for a {@link DriftMonitor}. Each setter checks its value at once and names it when it is out of range.
   * Not thread-safe; build once.
   */
  public static final class Builder {
    private int clusters = 10;
    private long seed = 42;
    private double alpha = 0.01;
    private double psiThreshold = 0.2;
    private double blockRateThreshold = 0.02;
    private double groundedThreshold = 0.05;
    private double answerLengthThreshold = 0.1;
    private int minSamples = 30;
    private int windowCount = 1000;
    private @Nullable Duration windowDuration;
    private int referenceCount;
    private @Nullable Duration referenceDuration;
    private @Nullable List<DriftSample> fixedReference;
    private int maxWindowSamples = 10_000;
    private Clock clock = Clock.systemUTC();
    private final List<Consumer<DriftEvent>> listeners = new ArrayList<>();

    private Builder() {}

    /** The k of k-means over the reference's embeddings; default 10. */
    public Builder clusters(int k) {
      require(k >= 2, "clusters", "at least 2", k);
      this.clusters = k;
      return this;
    }

    /** The seed of k-means++ and of the windows' reservoir sampling; default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The significance level every test must beat, in (0, 1); default 0.01, because a monitor tests every metric
     * in every window: at 0.05 a block rate near 5% alarms in about one window in twenty with nothing changed.
     */
    public Builder alpha(double alpha) {
      require(alpha > 0 && alpha < 1, "alpha", "in (0, 1)", alpha);
      this.alpha = alpha;
      return this;
    }

    /** The PSI above which the inputs' cluster mix has drifted; default 0.2 (the usual "significant shift"). */
    public Builder psiThreshold(double threshold) {
      require(threshold > 0 && Double.isFinite(threshold), "psiThreshold", "positive and finite", threshold);
      this.psiThreshold = threshold;
      return this;
    }

    /** The change in block rate (absolute, as a fraction) above which it has drifted; default 0.02. */
    public Builder blockRateThreshold(double threshold) {
      require(threshold >= 0 && threshold < 1, "blockRateThreshold", "in [0, 1)", threshold);
      this.blockRateThreshold = threshold;
      return this;
    }

    /** The change in mean grounded fraction above which it has drifted; default 0.05. */
    public Builder groundedThreshold(double threshold) {
      require(threshold >= 0 && threshold < 1, "groundedThreshold", "in [0, 1)", threshold);
      this.groundedThreshold = threshold;
      return this;
    }

    /** The |A - 1/2| above which answer length has drifted, A the Mann-Whitney effect size; default 0.1. */
    public Builder answerLengthThreshold(double threshold) {
      require(threshold >= 0 && threshold < 0.5, "answerLengthThreshold", "in [0, 0.5)", threshold);
      this.answerLengthThreshold = threshold;
      return this;
    }

    /** The fewest samples carrying a metric, on each side, for the metric to be checked; default 30. */
    public Builder minSamples(int minSamples) {
      require(minSamples >= 2, "minSamples", "at least 2", minSamples);
      this.minSamples = minSamples;
      return this;
    }

    /** Windows of {@code samples} samples each; the default, with 1000. */
    public Builder window(int samples) {
      require(samples >= 2, "window", "at least 2 samples", samples);
      this.windowCount = samples;
      this.windowDuration = null;
      return this;
    }

    /** Windows of {@code duration} each, by the monitor's clock. */
    public Builder window(Duration duration) {
      require(duration.compareTo(Duration.ZERO) > 0, "window", "a positive duration", duration);
      this.windowDuration = duration;
      return this;
    }

    /** A reference window of {@code samples} samples (default: as the other windows). */
    public Builder referenceWindow(int samples) {
      require(samples >= 2, "referenceWindow", "at least 2 samples", samples);
      this.referenceCount = samples;
      this.referenceDuration = null;
      return this;
    }

    /** A reference window of {@code duration}, from when the monitor is built (default: as the other windows). */
    public Builder referenceWindow(Duration duration) {
      require(duration.compareTo(Duration.ZERO) > 0, "referenceWindow", "a positive duration", duration);
      this.referenceDuration = duration;
      this.referenceCount = 0;
      return this;
    }

    /** A fixed reference (for example a validated week of traffic): every window, the first too, is checked. */
    public Builder reference(Collection<DriftSample> samples) {
      if (samples.isEmpty()) {
        throw new InvalidRequestException("reference must hold at least one sample");
      }
      this.fixedReference = List.copyOf(samples);
      return this;
    }

    /** The most samples a time window keeps (a uniform sample of the rest); default 10,000. */
    public Builder maxWindowSamples(int max) {
      require(max >= 2, "maxWindowSamples", "at least 2", max);
      this.maxWindowSamples = max;
      return this;
    }

    /** The clock of time windows and events; default UTC system time. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Adds a listener for drift events. */
    public Builder listener(Consumer<DriftEvent> listener) {
      this.listeners.add(listener);
      return this;
    }

    /** The monitor. */
    public DriftMonitor build() {
      return new DriftMonitor(this);
    }

    private static void require(boolean valid, String name, String rule, Object value) {
      if (!valid) {
        throw new InvalidRequestException(name + " must be " + rule + ", was " + value);
      }
    }
  }
}
