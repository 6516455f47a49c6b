package dev.llmops.core.internal.drift;

/**
 * The statistics drift detection adds to {@link dev.llmops.core.internal.routing.Stats}: the chi-square
 * distribution (through the regularized incomplete gamma function), the chi-square test of homogeneity of two
 * histograms, and the population stability index.
 *
 * <p>Every method is a pure function of its arguments and safe to call from any thread; arguments out of range are
 * an {@link IllegalArgumentException} naming the value.
 */
public final class DriftStats {

  /** Lanczos coefficients for g = 7, n = 9 (the widely used set; relative error below 1e-15 for x &gt; 0). */
  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
    771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7};
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double EPSILON = 1e-15;
  private static final int MAX_ITERATIONS = 10_000;

  /**
   * The result of comparing two histograms over the same bins.
   *
   * @param chiSquare Pearson's X^2 of the 2 x k table
   * @param degreesOfFreedom the bins that hold any count, minus one; 0 when at most one does
   * @param pValue P(chi^2(df) &ge; X^2); 1 when df is 0
   * @param psi the population stability index of the second histogram against the first
   */
  public record HistogramComparison(double chiSquare, int degreesOfFreedom, double pValue, double psi) {}

  private DriftStats() {}

  /**
   * log Gamma(x) for x &gt; 0, by Lanczos' approximation (with the reflection formula below 1/2).
   *
   * @throws IllegalArgumentException if x is not positive and finite
   */
  public static double logGamma(double x) {
    if (!(x > 0) || Double.isInfinite(x)) {
      throw new IllegalArgumentException("x must be positive and finite, was " + x);
    }
    if (x < 0.5) {
      // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    double t = z + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /**
   * The regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a): its series for x &lt; a + 1
   * (where Q = 1 - P), its continued fraction by the modified Lentz method otherwise (Numerical Recipes 6.2), so
   * that small upper tails keep their relative accuracy.
   *
   * @param a the shape, positive and finite
   * @param x the point, not negative; infinity gives 0
   * @return Q(a, x), in [0, 1]
   * @throws IllegalArgumentException if a or x is out of range or NaN
   */
  public static double upperGamma(double a, double x) {
    if (!(a > 0) || Double.isInfinite(a)) {
      throw new IllegalArgumentException("a must be positive and finite, was " + a);
    }
    if (!(x >= 0)) {
      throw new IllegalArgumentException("x must not be negative, was " + x);
    }
    if (x == 0) {
      return 1;
    }
    if (Double.isInfinite(x)) {
      return 0;
    }
    double logFront = a * Math.log(x) - x - logGamma(a);
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int n = 1; n < MAX_ITERATIONS; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPSILON) {
          return Math.max(0, 1 - sum * Math.exp(logFront));
        }
      }
      throw new IllegalStateException("incomplete gamma series did not converge for a=" + a + ", x=" + x);
    }
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < tiny ? tiny : d;
      c = b + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        return Math.min(1, Math.exp(logFront) * h);
      }
    }
    throw new IllegalStateException("incomplete gamma fraction did not converge for a=" + a + ", x=" + x);
  }

  /**
   * The upper tail P(chi^2(df) &ge; x) of the chi-square distribution, {@code upperGamma(df / 2, x / 2)}.
   *
   * @param x the statistic, not negative
   * @param df the degrees of freedom, positive
   * @return the tail probability, in [0, 1]
   * @throws IllegalArgumentException if x is negative or NaN, or df is not positive
   */
  public static double chiSquareUpperTail(double x, double df) {
    if (!(df > 0)) {
      throw new IllegalArgumentException("df must be positive, was " + df);
    }
    return upperGamma(df / 2, x / 2);
  }

  /**
   * Compares the histogram {@code current} with {@code reference} over the same bins: Pearson's chi-square test of
   * homogeneity of the 2 x k table (both samples random, expected counts from the pooled shares, bins empty in both
   * left out), and the population stability index PSI = sum (c_i - r_i) ln(c_i / r_i) over the shares, each share
   * smoothed as (count + 1/2) / (total + k/2) so that an empty bin gives a finite index.
   *
   * @param reference counts per bin, not negative, at least one positive
   * @param current counts per bin, as many bins, not negative, at least one positive
   * @return the statistic, its degrees of freedom, its p-value and the PSI
   * @throws IllegalArgumentException if the histograms differ in length, are empty, hold a negative count or sum
   *     to 0
   */
  public static HistogramComparison compareHistograms(long[] reference, long[] current) {
    if (reference.length != current.length || reference.length == 0) {
      throw new IllegalArgumentException("histograms must have the same, non-zero number of bins, were "
          + reference.length + " and " + current.length);
    }
    int k = reference.length;
    double totalR = sum(reference, "reference");
    double totalC = sum(current, "current");
    double total = totalR + totalC;
    double chiSquare = 0;
    int used = 0;
    double psi = 0;
    for (int i = 0; i < k; i++) {
      double column = reference[i] + current[i];
      if (column > 0) {
        used++;
        double expectedR = column * totalR / total;
        double expectedC = column * totalC / total;
        chiSquare += square(reference[i] - expectedR) / expectedR + square(current[i] - expectedC) / expectedC;
      }
      double r = (reference[i] + 0.5) / (totalR + k / 2.0);
      double c = (current[i] + 0.5) / (totalC + k / 2.0);
      psi += (c - r) * Math.log(c / r);
    }
    int df = used - 1;
    double pValue = df > 0 ? chiSquareUpperTail(chiSquare, df) : 1;
    return new HistogramComparison(chiSquare, Math.max(df, 0), pValue, psi);
  }

  private static double sum(long[] counts, String name) {
    double total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException(name + "[" + i + "] must not be negative, was " + counts[i]);
      }
      total += counts[i];
    }
    if (total == 0) {
      throw new IllegalArgumentException(name + " must hold at least one count, but all " + counts.length
          + " bins are 0");
    }
    return total;
  }

  private static double square(double x) {
    return x * x;
  }
}
