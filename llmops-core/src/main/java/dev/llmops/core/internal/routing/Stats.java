package dev.llmops.core.internal.routing;

import java.util.Arrays;

/**
 * The statistics behind the router's canary controller and its A/B reports: the normal and Student t
 * distributions, tests that compare a treatment arm A (the canary) with a control arm B (the baseline), the
 * mixture sequential probability ratio test for peeking at a running experiment, the Mann-Whitney U test, and
 * sample quantiles.
 *
 * <p>Every method is a pure function of its arguments and safe to call from any thread. Every method checks its
 * arguments and throws {@link IllegalArgumentException}, naming the bad value, for NaN, for values outside the
 * documented range and for empty samples.
 */
public final class Stats {

  /**
   * The result of comparing treatment A with control B.
   *
   * @param estimate the treatment's own estimate: its rate or its mean
   * @param difference the treatment's estimate minus the control's
   * @param lower the lower end of the two-sided confidence interval for {@code difference}
   * @param upper the upper end of that interval
   * @param pValue the p-value, one- or two-sided as the method that made it says
   * @param statistic z or t; when the standard error is 0, an infinity of the sign of the difference from the
   *     null value, or 0 when there is none
   */
  public record Comparison(
      double estimate, double difference, double lower, double upper, double pValue, double statistic) {}

  /**
   * The result of a Mann-Whitney U test of "the values in a are stochastically greater than those in b".
   *
   * @param u U of sample a: the number of pairs (x from a, y from b) with x &gt; y, ties counting one half
   * @param z the normal approximation's z, tie- and continuity-corrected; -infinity when every value is tied
   * @param pValue the one-sided p-value P(Z &ge; z)
   * @param probabilityGreater {@code u / (n * m)}, the common-language effect size: the chance that a value drawn
   *     from a exceeds one drawn from b, ties counting one half
   */
  public record RankTest(double u, double z, double pValue, double probabilityGreater) {}

  private static final double SQRT2 = Math.sqrt(2);
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
  private static final double HALF_LOG_PI = 0.5 * Math.log(Math.PI);

  // Cody's coefficients (netlib specfun CALERF), highest degree first, so that horner() evaluates them.
  private static final double[] ERF_P = {1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
    3.77485237685302021e02, 3.20937758913846947e03};
  private static final double[] ERF_Q = {1, 2.36012909523441209e01, 2.44024637934444173e02,
    1.28261652607737228e03, 2.84423683343917062e03};
  private static final double[] ERFC_P = {2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
    6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
    2.05107837782607147e03, 1.23033935479799725e03};
  private static final double[] ERFC_Q = {1, 1.57449261107098347e01, 1.17693950891312499e02,
    5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
    3.43936767414372164e03, 1.23033935480374942e03};
  private static final double[] ASYMPTOTIC_P = {1.63153871373020978e-2, 3.05326634961232344e-1,
    3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4};
  private static final double[] ASYMPTOTIC_Q = {1, 2.56852019228982242e00, 1.87295284992346725e00,
    5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3};
  // Acklam's coefficients, highest degree first.
  private static final double[] CENTRAL_P = {-3.969683028665376e+01, 2.209460984245205e+02,
    -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  private static final double[] CENTRAL_Q = {-5.447609879822406e+01, 1.615858368580409e+02,
    -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01, 1};
  private static final double[] TAIL_P = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  private static final double[] TAIL_Q = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
    3.754408661907416e+00, 1};

  private Stats() {}

  /**
   * The standard normal distribution function Phi(z) = P(Z &le; z), from W. J. Cody's rational Chebyshev
   * approximations of erf and erfc (Math. Comp. 23, 1969), good to a few units in the last place, also in the
   * lower tail: {@code normalCdf(-37)} is 5.7e-300, not 0. The factor exp(-z^2/2) is taken from z in two parts
   * split at a multiple of 1/16, so that rounding z^2 costs no accuracy. Below z = -38.5 it underflows to 0.
   *
   * @param z any number but NaN; the infinities give 0 and 1
   * @return Phi(z), in [0, 1]
   * @throws IllegalArgumentException if z is NaN
   */
  public static double normalCdf(double z) {
    require(!Double.isNaN(z), "z", "a number", z);
    double x = Math.abs(z) / SQRT2;
    if (x <= 0.46875) {
      double xx = x * x;
      return 0.5 + Math.copySign(0.5 * x * horner(ERF_P, xx) / horner(ERF_Q, xx), z);
    }
    double tail = 0;
    if (x < 28) {
      // exp(x^2) erfc(x): one rational function of x up to 4, one of 1/x^2 above.
      double inverse = 1 / (x * x);
      double scaled = x <= 4 ? horner(ERFC_P, x) / horner(ERFC_Q, x)
          : (1 / Math.sqrt(Math.PI) - inverse * horner(ASYMPTOTIC_P, inverse) / horner(ASYMPTOTIC_Q, inverse)) / x;
      double y = Math.abs(z);
      double head = Math.floor(y * 16) / 16;
      tail = 0.5 * scaled * Math.exp(-head * head / 2) * Math.exp(-(y - head) * (y + head) / 2);
    }
    return z < 0 ? tail : 1 - tail;
  }

  /**
   * The standard normal quantile: the z with Phi(z) = p. P. J. Acklam's rational approximation (relative error
   * 1.15e-9) refined by one step of Halley's method on {@link #normalCdf}, which leaves an error near 1e-15. The
   * upper half is computed as {@code -normalQuantile(1 - p)}, where 1 - p is exact, so both tails are accurate.
   *
   * @param p a probability strictly between 0 and 1
   * @return the quantile; 0 for p = 0.5
   * @throws IllegalArgumentException if p is not in (0, 1)
   */
  public static double normalQuantile(double p) {
    require(p > 0 && p < 1, "p", "in (0, 1)", p);
    return p > 0.5 ? -lowerNormalQuantile(1 - p) : lowerNormalQuantile(p);
  }

  private static double lowerNormalQuantile(double p) {
    double x;
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = horner(TAIL_P, q) / horner(TAIL_Q, q);
    } else {
      double q = p - 0.5;
      x = q * horner(CENTRAL_P, q * q) / horner(CENTRAL_Q, q * q);
    }
    // Halley: u = (Phi(x) - p) / phi(x), with exp(x^2/2) in two halves so that it does not overflow for tiny p.
    double half = Math.exp(x * x / 4);
    double u = (normalCdf(x) - p) * SQRT_2PI * half * half;
    return x - u / (1 + x * u / 2);
  }

  /**
   * The distribution function P(T &le; t) of Student's t with {@code df} degrees of freedom. Below df = 10,000
   * the tail is the regularized incomplete beta function {@code I_x(df/2, 1/2) / 2}, x = df / (df + t^2), by its
   * continued fraction with the modified Lentz algorithm (Numerical Recipes 6.4) and a Stirling-series log-beta;
   * that fraction loses accuracy as df grows, so from there on the tail is Phi(-z) with G. W. Hill's normalizing
   * transformation z(t, df) (CACM Algorithm 395, 1970). Both are within about 1e-12 relative of scipy's
   * {@code t.cdf}, in the far tails too.
   *
   * @param t any number but NaN; the infinities give 0 and 1
   * @param df the degrees of freedom, positive; need not be an integer; infinity gives the normal distribution
   * @return P(T &le; t), in [0, 1]
   * @throws IllegalArgumentException if t is NaN or df is not positive
   */
  public static double studentTCdf(double t, double df) {
    require(!Double.isNaN(t), "t", "a number", t);
    require(df > 0, "df", "positive", df);
    double tail = upperTail(Math.abs(t), df);
    return t < 0 ? tail : 1 - tail;
  }

  /**
   * The quantile of Student's t with {@code df} degrees of freedom: the t with {@link #studentTCdf} = p, found by
   * doubling and then bisecting on the tail probability, to the last bit that the distribution function allows.
   *
   * @param p a probability strictly between 0 and 1
   * @param df the degrees of freedom, positive; need not be an integer; infinity gives the normal distribution
   * @return the quantile; 0 for p = 0.5; an infinity where it lies beyond the largest double (df near 0)
   * @throws IllegalArgumentException if p is not in (0, 1) or df is not positive
   */
  public static double studentTQuantile(double p, double df) {
    require(p > 0 && p < 1, "p", "in (0, 1)", p);
    require(df > 0, "df", "positive", df);
    double q = Math.min(p, 1 - p);
    double lo = 0;
    double hi = p == 0.5 ? 0 : 1;
    while (hi > 0 && upperTail(hi, df) > q) {
      lo = hi;
      hi *= 2;
    }
    for (double mid = lo + (hi - lo) / 2; mid > lo && mid < hi; mid = lo + (hi - lo) / 2) {
      if (upperTail(mid, df) > q) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return p < 0.5 ? -hi : hi;
  }

  /** P(T &gt; t) for t &ge; 0. */
  private static double upperTail(double t, double df) {
    if (df >= 10_000) {
      // Hill's z: sqrt(a y) times a rational correction in 1/a, with y = log(1 + t^2/df) and a = df - 1/2.
      double a = df - 0.5;
      double b = 48 * a * a;
      double y = a * Math.log1p(t / df * t);
      return Double.isInfinite(df) ? normalCdf(-t) : Double.isInfinite(y) ? 0
          : normalCdf(-(((((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b) + y + 3) / b + 1)
              * Math.sqrt(y));
    }
    if (t == 0 || Double.isInfinite(t)) {
      return t == 0 ? 0.5 : 0;
    }
    // x = df / (df + t^2) and y = 1 - x from r = df / t^2, without overflow; r underflows only beyond t = 1e153,
    // where log x = log df - 2 log t.
    double r = df / t / t;
    double x = r / (1 + r);
    double y = 1 / (1 + r);
    double logX = r < Double.MIN_NORMAL ? Math.log(df) - 2 * Math.log(t) : -Math.log1p(1 / r);
    double logY = -Math.log1p(r);
    double a = df / 2;
    double logBeta = logBetaHalf(a);
    // I_x(a, 1/2) where its continued fraction converges fast, else 1 - I_y(1/2, a).
    return x < (a + 1) / (a + 2.5)
        ? betaFraction(x, logX, logY, a, 0.5, logBeta) / 2
        : (1 - betaFraction(y, logY, logX, 0.5, a, logBeta)) / 2;
  }

  /** The regularized incomplete beta I_x(a, b) by its continued fraction, given log x, log(1-x), log B(a, b). */
  private static double betaFraction(double x, double logX, double logY, double a, double b, double logBeta) {
    double front = Math.exp(a * logX + b * logY - logBeta) / a;
    double tiny = 1e-300;
    double c = 1;
    double d = 1 / nonZero(1 - (a + b) * x / (a + 1), tiny);
    double h = d;
    // For df below 10,000 it converges in under 100 steps (71 at most over t in [0, 50] and at the switch point).
    for (int m = 1; m <= 10_000; m++) {
      double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
      d = 1 / nonZero(1 + even * d, tiny);
      c = nonZero(1 + even / c, tiny);
      h *= d * c;
      double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 / nonZero(1 + odd * d, tiny);
      c = nonZero(1 + odd / c, tiny);
      h *= d * c;
      if (Math.abs(d * c - 1) < 1e-15) {
        return front * h;
      }
    }
    throw new IllegalStateException("incomplete beta did not converge for x=" + x + ", a=" + a + ", b=" + b);
  }

  private static double nonZero(double value, double tiny) {
    return Math.abs(value) < tiny ? tiny : value;
  }

  /** log B(a, 1/2) = log Gamma(a) + log Gamma(1/2) - log Gamma(a + 1/2). */
  private static double logBetaHalf(double a) {
    if (a < 10) {
      // B(a, 1/2) = B(a + 1, 1/2) (a + 1/2) / a, from Gamma(x + 1) = x Gamma(x), until a is 10 or more.
      double ratio = 1;
      int k = 0;
      for (; a + k < 10; k++) {
        ratio *= (a + k + 0.5) / (a + k);
      }
      return logBetaHalf(a + k) + Math.log(ratio);
    }
    // Stirling's series for both gammas; the large terms cancel analytically, not in floating point.
    return HALF_LOG_PI + stirlingCorrection(a) - stirlingCorrection(a + 0.5) + 0.5 - 0.5 * Math.log(a)
        - a * Math.log1p(0.5 / a);
  }

  /** log Gamma(x) minus Stirling's approximation, for x &ge; 10: the Bernoulli-number series to x^-13. */
  private static double stirlingCorrection(double x) {
    double s = 1 / (x * x);
    return (1.0 / 12 - s * (1.0 / 360 - s * (1.0 / 1260 - s * (1.0 / 1680 - s * (1.0 / 1188
        - s * (691.0 / 360360 - s / 156)))))) / x;
  }

  /**
   * The canary test for rates where higher is worse (errors, refusals): a one-sided z-test of
   * H0: pA - pB &le; margin against H1: pA - pB &gt; margin, A the canary (treatment), B the baseline (control).
   * z = (pA - pB - margin) / se with the unpooled se = sqrt(pA(1-pA)/nA + pB(1-pB)/nB); where that is 0 (each
   * arm all successes or all failures) the pooled rate's se, and where that is 0 too the p-value is 1 if the
   * difference is at most the margin, else 0. The interval is the two-sided Wald interval, which uses the
   * unpooled se and so collapses to the difference when that is 0.
   *
   * @param successesA events in A, in [0, trialsA]
   * @param trialsA trials in A, at least 1
   * @param successesB events in B, in [0, trialsB]
   * @param trialsB trials in B, at least 1
   * @param margin the tolerated difference, in (-1, 1)
   * @param confidence the interval's confidence level, in (0, 1)
   * @return the comparison; its estimate is pA and its p-value P(Z &ge; z)
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static Comparison twoProportions(
      long successesA, long trialsA, long successesB, long trialsB, double margin, double confidence) {
    require(margin > -1 && margin < 1, "margin", "in (-1, 1)", margin);
    return proportions(successesA, trialsA, successesB, trialsB, margin, false, confidence);
  }

  /**
   * The A/B report's test for rates: a two-sided pooled z-test of H0: pA = pB against H1: pA &ne; pB, with
   * z = (pA - pB) / sqrt(p(1-p)(1/nA + 1/nB)), p the pooled rate, and the two-sided Wald interval. When every
   * trial in both arms has the same outcome, z is 0 and the p-value 1.
   *
   * @param successesA events in A, in [0, trialsA]
   * @param trialsA trials in A, at least 1
   * @param successesB events in B, in [0, trialsB]
   * @param trialsB trials in B, at least 1
   * @param confidence the interval's confidence level, in (0, 1)
   * @return the comparison; its estimate is pA and its p-value P(|Z| &ge; |z|)
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static Comparison twoProportionsTwoSided(
      long successesA, long trialsA, long successesB, long trialsB, double confidence) {
    return proportions(successesA, trialsA, successesB, trialsB, 0, true, confidence);
  }

  private static Comparison proportions(long successesA, long trialsA, long successesB, long trialsB,
      double margin, boolean twoSided, double confidence) {
    checkCounts(successesA, trialsA, "A");
    checkCounts(successesB, trialsB, "B");
    double halfWidth = -normalQuantile((1 - checkConfidence(confidence)) / 2);
    double pA = (double) successesA / trialsA;
    double pB = (double) successesB / trialsB;
    double difference = pA - pB;
    double waldSe = Math.sqrt(pA * (1 - pA) / trialsA + pB * (1 - pB) / trialsB);
    double pooled = ((double) successesA + successesB) / ((double) trialsA + trialsB);
    double pooledSe = Math.sqrt(pooled * (1 - pooled) * (1.0 / trialsA + 1.0 / trialsB));
    double se = waldSe > 0 && !twoSided ? waldSe : pooledSe;
    double z = se > 0 ? (difference - margin) / se : degenerate(difference - margin);
    double pValue = twoSided ? Math.min(1, 2 * normalCdf(-Math.abs(z)))
        : se > 0 ? normalCdf(-z) : difference > margin ? 0 : 1;
    halfWidth *= waldSe;
    return new Comparison(pA, difference, difference - halfWidth, difference + halfWidth, pValue, z);
  }

  /**
   * Welch's unequal-variances t-test from summary statistics, with the Welch-Satterthwaite degrees of freedom
   * df = se^4 / ((varA/nA)^2/(nA-1) + (varB/nB)^2/(nB-1)), se^2 = varA/nA + varB/nB. One-sided it tests
   * H0: muA - muB &le; margin against H1: muA - muB &gt; margin; two-sided H0: muA = muB against muA &ne; muB.
   * The interval is the difference &plusmn; t(df) se. When both variances are 0 the p-value is 0 if the
   * difference exceeds the margin (two-sided: is not 0), else 1, and the interval collapses to the difference.
   *
   * @param meanA the sample mean of A, finite
   * @param varA the sample variance of A (n - 1 denominator), finite and not negative
   * @param nA the sample size of A, at least 2
   * @param meanB the sample mean of B, finite
   * @param varB the sample variance of B, finite and not negative
   * @param nB the sample size of B, at least 2
   * @param margin the tolerated difference, finite; 0 when {@code twoSided}
   * @param twoSided whether to test muA &ne; muB rather than muA - muB &gt; margin
   * @param confidence the interval's confidence level, in (0, 1)
   * @return the comparison; its estimate is meanA and its statistic t
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static Comparison welch(double meanA, double varA, long nA, double meanB, double varB, long nB,
      double margin, boolean twoSided, double confidence) {
    require(Double.isFinite(meanA), "meanA", "finite", meanA);
    require(varA >= 0 && varA < Double.POSITIVE_INFINITY, "varA", "finite and not negative", varA);
    require(nA >= 2, "nA", "at least 2", nA);
    require(Double.isFinite(meanB), "meanB", "finite", meanB);
    require(varB >= 0 && varB < Double.POSITIVE_INFINITY, "varB", "finite and not negative", varB);
    require(nB >= 2, "nB", "at least 2", nB);
    require(Double.isFinite(margin) && (margin == 0 || !twoSided), "margin", "finite, and 0 if two-sided", margin);
    checkConfidence(confidence);
    double difference = meanA - meanB;
    double shareA = varA / nA;
    double shareB = varB / nB;
    double se = Math.sqrt(shareA + shareB);
    if (!(se > 0)) {
      double pValue = (twoSided ? difference != 0 : difference > margin) ? 0 : 1;
      return new Comparison(meanA, difference, difference, difference, pValue, degenerate(difference - margin));
    }
    double wA = shareA / (shareA + shareB);
    double wB = shareB / (shareA + shareB);
    double df = 1 / (wA * wA / (nA - 1) + wB * wB / (nB - 1));
    double t = (difference - margin) / se;
    double pValue = twoSided ? Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) : studentTCdf(-t, df);
    double halfWidth = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
    return new Comparison(meanA, difference, difference - halfWidth, difference + halfWidth, pValue, t);
  }

  /**
   * One look of the mixture sequential probability ratio test (mSPRT; Johari, Koomen, Pekelis and Walsh,
   * "Peeking at A/B tests", KDD 2017) for a normally distributed estimate {@code difference} with known
   * {@code variance}, null value {@code margin} and normal mixing distribution N(margin, tau2):
   * Lambda = sqrt(variance / (variance + tau2)) exp(tau2 (difference - margin)^2 / (2 variance (variance + tau2))),
   * computed in logarithms. The look's p-value is min(1, 1 / Lambda) when difference &gt; margin, else 1: only
   * evidence that A exceeds B by more than the margin counts.
   *
   * <p>The always-valid p-value is the running minimum of this value over all looks so far, and the caller keeps
   * it; stopping when that minimum first falls below alpha keeps the false-alarm rate at most alpha however often
   * one looks. The variance comes from the data seen so far (for rates, the unpooled Bernoulli variance); while it
   * is 0 there is nothing to test, and the caller skips the look.
   *
   * @param difference the current estimate of the difference, finite
   * @param variance the variance of that estimate, positive and finite
   * @param margin the null value, finite
   * @param tau2 the mixing variance, positive and finite; about the square of the effect worth detecting
   * @return the look's p-value, in [0, 1]; 0 only where 1 / Lambda underflows
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static double alwaysValidPValue(double difference, double variance, double margin, double tau2) {
    require(Double.isFinite(difference), "difference", "finite", difference);
    require(variance > 0 && variance < Double.POSITIVE_INFINITY, "variance", "positive and finite", variance);
    require(Double.isFinite(margin), "margin", "finite", margin);
    require(tau2 > 0 && tau2 < Double.POSITIVE_INFINITY, "tau2", "positive and finite", tau2);
    if (!(difference > margin)) {
      return 1;
    }
    double excess = difference - margin;
    double total = variance + tau2;
    double logLambda = 0.5 * Math.log(variance / total) + tau2 / total * (excess / variance) * excess / 2;
    return Math.min(1, Math.exp(-logLambda));
  }

  /**
   * The Mann-Whitney U test of H1: the values in {@code a} are stochastically greater than those in {@code b},
   * with midranks for ties and the normal approximation with tie and continuity correction, as
   * {@code scipy.stats.mannwhitneyu(a, b, alternative='greater', method='asymptotic')}:
   * z = (U - nm/2 - 1/2) / sqrt(nm/12 ((N+1) - sum(t^3 - t) / (N(N-1)))), t the sizes of the groups of ties.
   * It sorts copies of the samples and merges them, in O(N log N) time for N = n + m; -0.0 and 0.0 tie.
   *
   * @param a the first sample, non-empty, without NaN; not modified
   * @param b the second sample, non-empty, without NaN; not modified
   * @return U, z, the one-sided p-value and the effect size
   * @throws IllegalArgumentException if a sample is empty or holds NaN
   */
  public static RankTest mannWhitneyGreater(double[] a, double[] b) {
    double[] x = sortedCopy(a, "a");
    double[] y = sortedCopy(b, "b");
    int n = x.length;
    int m = y.length;
    double rankSumA = 0;
    double tieTerm = 0;
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      double v = j == m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
      int countA = 0;
      int countB = 0;
      for (; i < n && x[i] == v; i++) {
        countA++;
      }
      for (; j < m && y[j] == v; j++) {
        countB++;
      }
      double t = countA + countB;
      // The group holds ranks i + j - t + 1 to i + j; each member gets their mean.
      rankSumA += countA * (i + j - (t - 1) / 2);
      tieTerm += (t - 1) * t * (t + 1);
    }
    double u = rankSumA - n * (n + 1.0) / 2;
    double total = (double) n + m;
    double nm = (double) n * m;
    double variance = nm / 12 * ((total + 1) - tieTerm / (total * (total - 1)));
    double z = variance > 0 ? (u - nm / 2 - 0.5) / Math.sqrt(variance) : Double.NEGATIVE_INFINITY;
    return new RankTest(u, z, normalCdf(-z), u / nm);
  }

  /**
   * The q-quantile of {@code values} with linear interpolation between the closest ranks, numpy's default
   * ({@code numpy.quantile(values, q)}, Hyndman and Fan's type 7): with the values sorted, h = (n - 1) q and the
   * result is x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). It sorts a copy, in O(n log n) time.
   *
   * @param values the sample, non-empty, without NaN; not modified
   * @param q the probability, in [0, 1]
   * @return the quantile; the minimum for q = 0, the maximum for q = 1
   * @throws IllegalArgumentException if values is empty or holds NaN, or q is not in [0, 1]
   */
  public static double quantile(double[] values, double q) {
    require(q >= 0 && q <= 1, "q", "in [0, 1]", q);
    return quantileSorted(sortedCopy(values, "values"), q);
  }

  /**
   * {@link #quantile} of values already sorted in ascending order, in O(1) time. The order is not checked; for
   * unsorted input the result is an interpolation between two of the values.
   *
   * @param sorted the sample in ascending order, non-empty
   * @param q the probability, in [0, 1]
   * @return the quantile
   * @throws IllegalArgumentException if sorted is empty or q is not in [0, 1]
   */
  public static double quantileSorted(double[] sorted, double q) {
    require(q >= 0 && q <= 1, "q", "in [0, 1]", q);
    require(sorted.length > 0, "sorted.length", "at least 1", sorted.length);
    double h = (sorted.length - 1) * q;
    int below = (int) Math.floor(h);
    double fraction = h - below;
    double low = sorted[below];
    if (fraction == 0 || low == sorted[below + 1]) {
      return low;
    }
    double high = sorted[below + 1];
    // numpy's _lerp: interpolate from the nearer end, so that the result is monotone in q and exact at the ends.
    return fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1 - fraction);
  }

  private static double[] sortedCopy(double[] values, String name) {
    require(values.length > 0, name + ".length", "at least 1", values.length);
    double[] copy = values.clone();
    Arrays.sort(copy);
    if (Double.isNaN(copy[copy.length - 1])) {
      int i = 0;
      while (!Double.isNaN(values[i])) {
        i++;
      }
      throw new IllegalArgumentException(name + " must not hold NaN, but does at index " + i);
    }
    return copy;
  }

  private static void checkCounts(long successes, long trials, String arm) {
    require(trials >= 1, "trials" + arm, "at least 1", trials);
    if (successes < 0 || successes > trials) {
      throw new IllegalArgumentException("successes" + arm + " must be in [0, " + trials + "], was " + successes);
    }
  }

  private static double checkConfidence(double confidence) {
    require(confidence > 0 && confidence < 1, "confidence", "in (0, 1)", confidence);
    return confidence;
  }

  /** The statistic where the standard error is 0: an infinity of the sign of the excess, or 0. */
  private static double degenerate(double excess) {
    return excess > 0 ? Double.POSITIVE_INFINITY : excess < 0 ? Double.NEGATIVE_INFINITY : 0;
  }

  /** The polynomial with {@code coefficients}, highest degree first, at x. */
  private static double horner(double[] coefficients, double x) {
    double sum = 0;
    for (double c : coefficients) {
      sum = sum * x + c;
    }
    return sum;
  }

  private static void require(boolean valid, String name, String rule, double value) {
    if (!valid) {
      throw new IllegalArgumentException(name + " must be " + rule + ", was " + value);
    }
  }

  private static void require(boolean valid, String name, String rule, long value) {
    if (!valid) {
      throw new IllegalArgumentException(name + " must be " + rule + ", was " + value);
    }
  }
}
