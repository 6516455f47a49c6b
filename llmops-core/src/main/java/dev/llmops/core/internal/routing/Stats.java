package dev.llmops.core.internal.routing;

import java.util.Arrays;

/**
 * The statistics behind the router's canary controller and its A/B reports: the normal and Student t
 * distributions, tests that compare a treatment arm A (the canary) with a control arm B (the baseline), the
 * mixture sequential probability ratio test for looking at a running experiment as often as one likes, the
 * Mann-Whitney U test, and sample quantiles.
 *
 * <p>Every method is a pure function of its arguments, so the class is safe to use from any thread. Every
 * method checks its arguments and throws {@link IllegalArgumentException}, naming the bad value, for NaN, for
 * values outside the documented range and for empty samples; nothing else is thrown.
 */
public final class Stats {

  /**
   * The result of comparing treatment A with control B.
   *
   * @param estimate the treatment's own estimate: its success rate or its mean
   * @param difference the treatment's estimate minus the control's
   * @param lower the lower end of the two-sided confidence interval for {@code difference}
   * @param upper the upper end of that interval
   * @param pValue the p-value of the test, one- or two-sided as the method that made it says
   * @param statistic the test statistic, z or t; infinite when both arms have no variance and the difference
   *     is not the null value, 0 when it is
   */
  public record Comparison(
      double estimate, double difference, double lower, double upper, double pValue, double statistic) {}

  /**
   * The result of a Mann-Whitney U test of "the values in a are stochastically greater than those in b".
   *
   * @param u the U statistic of sample a: the number of pairs (x from a, y from b) with x &gt; y, ties
   *     counting one half
   * @param z the normal approximation's z, continuity- and tie-corrected; -infinity when every value is tied
   * @param pValue the one-sided p-value, P(Z &ge; z)
   * @param probabilityGreater {@code u / (n * m)}, the common-language effect size: the chance that a value
   *     drawn from a exceeds one drawn from b, ties counting one half
   */
  public record RankTest(double u, double z, double pValue, double probabilityGreater) {}

  private static final double SQRT2 = Math.sqrt(2);
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
  private static final double HALF_LOG_PI = 0.5 * Math.log(Math.PI);
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  private Stats() {}

  // ---- Normal distribution ----------------------------------------------------------------------------------

  /**
   * The standard normal distribution function Phi(z) = P(Z &le; z), from W. J. Cody's rational Chebyshev
   * approximations of erf and erfc (Math. Comp. 23, 1969; netlib specfun CALERF), good to about 1e-15 relative,
   * so also in the far lower tail: {@code normalCdf(-37)} is 5.7e-300, not 0. The factor exp(-z^2/2) is taken
   * from z itself, split at a multiple of 1/16 so that rounding z^2 costs no accuracy. Below z = -38.5 the
   * result underflows to 0.
   *
   * @param z any number but NaN; the infinities give 0 and 1
   * @return Phi(z), in [0, 1]
   * @throws IllegalArgumentException if z is NaN
   */
  public static double normalCdf(double z) {
    if (Double.isNaN(z)) {
      throw new IllegalArgumentException("z is NaN");
    }
    double x = z / SQRT2;
    double y = Math.abs(z);
    if (Math.abs(x) <= 0.46875) {
      return 0.5 + 0.5 * erf(x);
    }
    double tail = 0;
    if (y < 40) {
      double head = Math.floor(y * 16) / 16;
      tail = 0.5 * scaledErfc(y / SQRT2) * Math.exp(-head * head / 2) * Math.exp(-(y - head) * (y + head) / 2);
    }
    return z < 0 ? tail : 1 - tail;
  }

  private static final double[] ERF_A = {
    3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03,
    1.85777706184603153e-1};
  private static final double[] ERF_B = {
    2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03};
  private static final double[] ERF_C = {
    5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
    8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
    2.15311535474403846e-8};
  private static final double[] ERF_D = {
    1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
    3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
  private static final double[] ERF_P = {
    3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
    6.58749161529837803e-4, 1.63153871373020978e-2};
  private static final double[] ERF_Q = {
    2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
    2.33520497626869185e-3};

  /** Cody's erf(x) for |x| &le; 0.46875. */
  private static double erf(double x) {
    double xx = x * x;
    double num = ERF_A[4] * xx;
    double den = xx;
    for (int i = 0; i < 3; i++) {
      num = (num + ERF_A[i]) * xx;
      den = (den + ERF_B[i]) * xx;
    }
    return x * (num + ERF_A[3]) / (den + ERF_B[3]);
  }

  /** Cody's exp(y^2) erfc(y) for y &gt; 0.46875: one rational function up to 4, one in 1/y^2 above. */
  private static double scaledErfc(double y) {
    if (y <= 4) {
      double num = ERF_C[8] * y;
      double den = y;
      for (int i = 0; i < 7; i++) {
        num = (num + ERF_C[i]) * y;
        den = (den + ERF_D[i]) * y;
      }
      return (num + ERF_C[7]) / (den + ERF_D[7]);
    }
    double inverse = 1 / (y * y);
    double num = ERF_P[5] * inverse;
    double den = inverse;
    for (int i = 0; i < 4; i++) {
      num = (num + ERF_P[i]) * inverse;
      den = (den + ERF_Q[i]) * inverse;
    }
    return (1 / Math.sqrt(Math.PI) - inverse * (num + ERF_P[4]) / (den + ERF_Q[4])) / y;
  }

  /**
   * The standard normal quantile: the z with Phi(z) = p. P. J. Acklam's rational approximation (relative error
   * 1.15e-9) refined by one step of Halley's method on {@link #normalCdf}, which leaves an error near 1e-15.
   * The upper half is computed as {@code -normalQuantile(1 - p)}, which is exact in floating point, so the
   * result is antisymmetric and accurate in both tails.
   *
   * @param p a probability strictly between 0 and 1
   * @return the quantile; 0 for p = 0.5
   * @throws IllegalArgumentException if p is not in (0, 1)
   */
  public static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), was " + p);
    }
    return p > 0.5 ? -lowerNormalQuantile(1 - p) : lowerNormalQuantile(p);
  }

  private static double lowerNormalQuantile(double p) {
    double x;
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                      - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
          / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                  + 3.754408661907416e+00) * q + 1);
    } else {
      double q = p - 0.5;
      double r = q * q;
      x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                          + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
          / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                      + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
    }
    // Halley: u = (Phi(x) - p) / phi(x); exp(x*x/2) in two halves so that it does not overflow for tiny p.
    double half = Math.exp(x * x / 4);
    double u = (normalCdf(x) - p) * SQRT_2PI * half * half;
    return x - u / (1 + x * u / 2);
  }

  // ---- Student t distribution --------------------------------------------------------------------------------

  /**
   * The distribution function P(T &le; t) of Student's t with {@code df} degrees of freedom. The tail is the
   * regularized incomplete beta function {@code I_x(df/2, 1/2) / 2} with {@code x = df / (df + t^2)},
   * evaluated by its continued fraction with the modified Lentz algorithm (Numerical Recipes 6.4) and a
   * Stirling-series log-beta. That fraction loses accuracy as df grows, so from df = 10,000 on the tail is
   * {@code Phi(-z)} with G. W. Hill's normalizing transformation z(t, df) (CACM Algorithm 395, 1970). Both
   * are within about 1e-12 relative of scipy's {@code t.cdf}, in the far tails too.
   *
   * @param t any number but NaN; the infinities give 0 and 1
   * @param df the degrees of freedom, positive and not NaN; need not be an integer, may be infinite
   * @return P(T &le; t), in [0, 1]
   * @throws IllegalArgumentException if t is NaN or df is not positive
   */
  public static double studentTCdf(double t, double df) {
    if (Double.isNaN(t)) {
      throw new IllegalArgumentException("t is NaN");
    }
    checkDf(df);
    double tail = upperTail(Math.abs(t), df);
    return t < 0 ? tail : 1 - tail;
  }

  /**
   * The quantile of Student's t with {@code df} degrees of freedom: the t with {@link #studentTCdf} = p, found
   * by doubling and then bisecting on the tail probability, to the last bit the distribution function allows.
   *
   * @param p a probability strictly between 0 and 1
   * @param df the degrees of freedom, positive and not NaN; need not be an integer, may be infinite
   * @return the quantile; 0 for p = 0.5; an infinity when it lies beyond the largest double (tiny df)
   * @throws IllegalArgumentException if p is not in (0, 1) or df is not positive
   */
  public static double studentTQuantile(double p, double df) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), was " + p);
    }
    checkDf(df);
    if (p == 0.5) {
      return 0;
    }
    double q = Math.min(p, 1 - p);
    double lo = 0;
    double hi = 1;
    while (upperTail(hi, df) > q) {
      lo = hi;
      hi *= 2;
      if (Double.isInfinite(hi)) {
        return p < 0.5 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    while (true) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (upperTail(mid, df) > q) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return p < 0.5 ? -hi : hi;
  }

  private static void checkDf(double df) {
    if (!(df > 0)) {
      throw new IllegalArgumentException("df must be positive, was " + df);
    }
  }

  /** P(T &gt; t) for t &ge; 0. */
  private static double upperTail(double t, double df) {
    if (df >= 10_000) {
      if (Double.isInfinite(df)) {
        return normalCdf(-t);
      }
      // Hill's z: sqrt(a y) times a rational correction in 1/a, y = log(1 + t^2/df), a = df - 1/2.
      double a = df - 0.5;
      double b = 48 * a * a;
      double y = a * Math.log1p(t / df * t);
      if (Double.isInfinite(y)) {
        return 0;
      }
      return normalCdf(-(((((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b) + y + 3) / b + 1)
          * Math.sqrt(y));
    }
    if (t == 0 || Double.isInfinite(t)) {
      return t == 0 ? 0.5 : 0;
    }
    // x = df / (df + t^2) and y = 1 - x from r = df / t^2, without overflow; r underflows only for t near 1e154,
    // where log x = log df - 2 log t still holds.
    double r = df / t / t;
    double x = r / (1 + r);
    double y = 1 / (1 + r);
    double logX = r < Double.MIN_NORMAL ? Math.log(df) - 2 * Math.log(t) : -Math.log1p(1 / r);
    double logY = -Math.log1p(r);
    double a = df / 2;
    double logBeta = logBetaHalf(a);
    // I_x(a, 1/2) directly where its continued fraction converges fast, else 1 - I_y(1/2, a).
    return x < (a + 1) / (a + 2.5)
        ? betaFraction(x, logX, logY, a, 0.5, logBeta) / 2
        : (1 - betaFraction(y, logY, logX, 0.5, a, logBeta)) / 2;
  }

  /**
   * The regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz), with log x,
   * log(1 - x) and log B(a, b) passed in exactly.
   */
  private static double betaFraction(double x, double logX, double logY, double a, double b, double logBeta) {
    double front = Math.exp(a * logX + b * logY - logBeta) / a;
    double tiny = 1e-300;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 10_000; m++) { // below df = 10,000 it needs at most a few hundred
      for (int step = 0; step < 2; step++) {
        double coefficient = step == 0
            ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + coefficient * d;
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        c = 1 + coefficient / c;
        c = Math.abs(c) < tiny ? tiny : c;
        h *= d * c;
        if (step == 1 && Math.abs(d * c - 1) < 1e-15) {
          return front * h;
        }
      }
    }
    throw new IllegalStateException("incomplete beta did not converge for x=" + x + ", a=" + a + ", b=" + b);
  }

  /** log B(a, 1/2) = log Gamma(a) + log Gamma(1/2) - log Gamma(a + 1/2). */
  private static double logBetaHalf(double a) {
    if (a < 10) {
      return logGamma(a) + HALF_LOG_PI - logGamma(a + 0.5);
    }
    // Stirling's formula for both gammas; the large terms cancel analytically, not in floating point.
    return HALF_LOG_PI + stirlingCorrection(a) - stirlingCorrection(a + 0.5) + 0.5 - 0.5 * Math.log(a)
        - a * Math.log1p(0.5 / a);
  }

  /** log Gamma(x) for x &gt; 0: the recurrence up to 10, then Stirling's series. */
  private static double logGamma(double x) {
    double product = 1;
    while (x < 10) {
      product *= x;
      x += 1;
    }
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + stirlingCorrection(x) - Math.log(product);
  }

  /** log Gamma(x) minus Stirling's approximation, for x &ge; 10: the Bernoulli-number series to x^-13. */
  private static double stirlingCorrection(double x) {
    double s = 1 / (x * x);
    return (1.0 / 12 - s * (1.0 / 360 - s * (1.0 / 1260 - s * (1.0 / 1680 - s * (1.0 / 1188
        - s * (691.0 / 360360 - s / 156)))))) / x;
  }

  // ---- Comparing two arms ------------------------------------------------------------------------------------

  /**
   * The canary test for rates where higher is worse (errors, refusals): a one-sided z-test of
   * H0: pA - pB &le; margin against H1: pA - pB &gt; margin, A the canary (treatment) and B the baseline
   * (control). z = (pA - pB - margin) / se with the unpooled standard error sqrt(pA(1-pA)/nA + pB(1-pB)/nB);
   * where that is 0 (each arm all successes or all failures) the pooled rate's standard error is used, and where
   * that is 0 too the p-value is 1 if the difference is at most the margin and 0 if it is above. The interval
   * is the two-sided Wald interval, which uses the unpooled standard error and so collapses to the difference
   * when that is 0.
   *
   * @param successesA events in A, in [0, trialsA]
   * @param trialsA trials in A, at least 1
   * @param successesB events in B, in [0, trialsB]
   * @param trialsB trials in B, at least 1
   * @param margin the difference that is tolerated, in (-1, 1)
   * @param confidence the interval's confidence level, in (0, 1)
   * @return the comparison; its estimate is pA and its p-value is P(Z &ge; z)
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static Comparison twoProportions(
      long successesA, long trialsA, long successesB, long trialsB, double margin, double confidence) {
    checkCounts(successesA, trialsA, "A");
    checkCounts(successesB, trialsB, "B");
    if (!(margin > -1 && margin < 1)) {
      throw new IllegalArgumentException("margin must be in (-1, 1), was " + margin);
    }
    double criticalZ = criticalZ(confidence);
    double pA = (double) successesA / trialsA;
    double pB = (double) successesB / trialsB;
    double difference = pA - pB;
    double waldSe = Math.sqrt(pA * (1 - pA) / trialsA + pB * (1 - pB) / trialsB);
    double se = waldSe > 0 ? waldSe : pooledSe(successesA, trialsA, successesB, trialsB);
    double z;
    double pValue;
    if (se > 0) {
      z = (difference - margin) / se;
      pValue = normalCdf(-z);
    } else {
      z = degenerateStatistic(difference - margin);
      pValue = difference > margin ? 0 : 1;
    }
    return new Comparison(pA, difference, difference - criticalZ * waldSe, difference + criticalZ * waldSe, pValue, z);
  }

  /**
   * The A/B report's test for rates: a two-sided pooled z-test of H0: pA = pB against H1: pA &ne; pB, with
   * z = (pA - pB) / sqrt(p(1-p)(1/nA + 1/nB)) where p is the pooled rate, and the two-sided Wald interval.
   * When every trial in both arms has the same outcome, z is 0 and the p-value is 1.
   *
   * @param successesA events in A, in [0, trialsA]
   * @param trialsA trials in A, at least 1
   * @param successesB events in B, in [0, trialsB]
   * @param trialsB trials in B, at least 1
   * @param confidence the interval's confidence level, in (0, 1)
   * @return the comparison; its estimate is pA and its p-value is P(|Z| &ge; |z|)
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static Comparison twoProportionsTwoSided(
      long successesA, long trialsA, long successesB, long trialsB, double confidence) {
    checkCounts(successesA, trialsA, "A");
    checkCounts(successesB, trialsB, "B");
    double criticalZ = criticalZ(confidence);
    double pA = (double) successesA / trialsA;
    double pB = (double) successesB / trialsB;
    double difference = pA - pB;
    double waldSe = Math.sqrt(pA * (1 - pA) / trialsA + pB * (1 - pB) / trialsB);
    double se = pooledSe(successesA, trialsA, successesB, trialsB);
    double z = se > 0 ? difference / se : 0;
    double pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
    return new Comparison(pA, difference, difference - criticalZ * waldSe, difference + criticalZ * waldSe, pValue, z);
  }

  /**
   * Welch's unequal-variances t-test from summary statistics, with the Welch-Satterthwaite degrees of freedom
   * df = se^4 / ((varA/nA)^2/(nA-1) + (varB/nB)^2/(nB-1)), se^2 = varA/nA + varB/nB. One-sided it tests
   * H0: muA - muB &le; margin against H1: muA - muB &gt; margin; two-sided it tests H0: muA = muB. The interval
   * is difference &plusmn; t(df) * se. When both variances are 0 the p-value is 0 if the difference exceeds the
   * margin (two-sided: is not 0) and 1 otherwise, and the interval collapses to the difference.
   *
   * @param meanA the sample mean of A, finite
   * @param varA the sample variance of A (n - 1 denominator), finite and not negative
   * @param nA the sample size of A, at least 2
   * @param meanB the sample mean of B, finite
   * @param varB the sample variance of B, finite and not negative
   * @param nB the sample size of B, at least 2
   * @param margin the tolerated difference, finite; must be 0 when {@code twoSided}
   * @param twoSided whether to test muA &ne; muB rather than muA - muB &gt; margin
   * @param confidence the interval's confidence level, in (0, 1)
   * @return the comparison; its estimate is meanA and its statistic is t
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static Comparison welch(double meanA, double varA, long nA, double meanB, double varB, long nB,
      double margin, boolean twoSided, double confidence) {
    checkSample(meanA, varA, nA, "A");
    checkSample(meanB, varB, nB, "B");
    if (!Double.isFinite(margin) || (twoSided && margin != 0)) {
      throw new IllegalArgumentException("margin must be finite, and 0 for a two-sided test, was " + margin);
    }
    checkConfidence(confidence);
    double difference = meanA - meanB;
    double shareA = varA / nA;
    double shareB = varB / nB;
    double se = Math.sqrt(shareA + shareB);
    double shift = twoSided ? 0 : margin;
    if (!(se > 0)) {
      boolean reject = twoSided ? difference != 0 : difference > margin;
      return new Comparison(meanA, difference, difference, difference, reject ? 0 : 1,
          degenerateStatistic(difference - shift));
    }
    double wA = shareA / (shareA + shareB);
    double wB = shareB / (shareA + shareB);
    double df = 1 / (wA * wA / (nA - 1) + wB * wB / (nB - 1));
    double t = (difference - shift) / se;
    double pValue = twoSided ? Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) : studentTCdf(-t, df);
    double halfWidth = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
    return new Comparison(meanA, difference, difference - halfWidth, difference + halfWidth, pValue, t);
  }

  /**
   * One look of the mixture sequential probability ratio test (mSPRT; Johari, Pekelis and Walsh, "Always
   * valid inference: bringing sequential analysis to A/B testing", 2017, the "peeking" paper) for a normally
   * distributed estimate {@code difference} with known {@code variance}, null value {@code margin} and normal
   * mixing distribution N(margin, tau2) over the alternative:
   * Lambda = sqrt(variance / (variance + tau2)) * exp(tau2 (difference - margin)^2 / (2 variance (variance + tau2))),
   * and the look's p-value is min(1, 1 / Lambda) when difference &gt; margin, else 1: only evidence that A
   * exceeds B by more than the margin counts.
   *
   * <p>The always-valid p-value is the running minimum of this value over all looks so far; the caller keeps
   * it. Stopping the first time that minimum falls below alpha keeps the false-alarm rate at most alpha
   * however often one looks. The variance must come from the data seen so far (for rates the unpooled
   * Bernoulli variance); while it is 0 there is nothing to test, and the caller should skip the look.
   *
   * @param difference the current estimate of the difference, finite
   * @param variance the variance of that estimate, positive and finite
   * @param margin the null value, finite
   * @param tau2 the mixing variance, positive and finite; about the square of the effect worth detecting
   * @return the look's p-value, in (0, 1]; it underflows to 0 for overwhelming evidence
   * @throws IllegalArgumentException if any argument is out of range
   */
  public static double alwaysValidPValue(double difference, double variance, double margin, double tau2) {
    if (!Double.isFinite(difference)) {
      throw new IllegalArgumentException("difference must be finite, was " + difference);
    }
    if (!(variance > 0 && variance < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("variance must be positive and finite, was " + variance);
    }
    if (!Double.isFinite(margin)) {
      throw new IllegalArgumentException("margin must be finite, was " + margin);
    }
    if (!(tau2 > 0 && tau2 < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("tau2 must be positive and finite, was " + tau2);
    }
    if (!(difference > margin)) {
      return 1;
    }
    double excess = difference - margin;
    double total = variance + tau2;
    double logLambda = 0.5 * Math.log(variance / total) + tau2 / total * (excess / variance) * excess / 2;
    return Math.min(1, Math.exp(-logLambda));
  }

  private static void checkCounts(long successes, long trials, String arm) {
    if (trials < 1) {
      throw new IllegalArgumentException("trials" + arm + " must be at least 1, was " + trials);
    }
    if (successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          "successes" + arm + " must be in [0, " + trials + "], was " + successes);
    }
  }

  private static void checkSample(double mean, double variance, long n, String arm) {
    if (!Double.isFinite(mean)) {
      throw new IllegalArgumentException("mean" + arm + " must be finite, was " + mean);
    }
    if (!(variance >= 0 && variance < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("var" + arm + " must be finite and not negative, was " + variance);
    }
    if (n < 2) {
      throw new IllegalArgumentException("n" + arm + " must be at least 2, was " + n);
    }
  }

  private static void checkConfidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
    }
  }

  private static double criticalZ(double confidence) {
    checkConfidence(confidence);
    return -normalQuantile((1 - confidence) / 2);
  }

  private static double pooledSe(long successesA, long trialsA, long successesB, long trialsB) {
    double pooled = ((double) successesA + successesB) / ((double) trialsA + trialsB);
    return Math.sqrt(pooled * (1 - pooled) * (1.0 / trialsA + 1.0 / trialsB));
  }

  /** The statistic when the standard error is 0: the sign of the excess, as an infinity, or 0. */
  private static double degenerateStatistic(double excess) {
    return excess > 0 ? Double.POSITIVE_INFINITY : excess < 0 ? Double.NEGATIVE_INFINITY : 0;
  }

  // ---- Ranks and quantiles -----------------------------------------------------------------------------------

  /**
   * The Mann-Whitney U test of H1: the values in {@code a} are stochastically greater than those in {@code b},
   * with midranks for ties and the normal approximation with tie and continuity correction, as
   * {@code scipy.stats.mannwhitneyu(a, b, alternative='greater', method='asymptotic')}:
   * z = (U - nm/2 - 1/2) / sqrt(nm/12 ((N+1) - sum(t^3 - t) / (N(N-1)))). Sorts copies of the inputs and
   * merges them, so it takes O(N log N) time for N = n + m; -0.0 and 0.0 tie. The inputs are not modified.
   *
   * @param a the first sample, non-empty, without NaN
   * @param b the second sample, non-empty, without NaN
   * @return the test's U, z, one-sided p-value and effect size
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
      while (i < n && x[i] == v) {
        i++;
        countA++;
      }
      while (j < m && y[j] == v) {
        j++;
        countB++;
      }
      double t = countA + countB;
      // The group takes ranks (i + j - t + 1) .. (i + j); each member gets their mean.
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

  private static double[] sortedCopy(double[] values, String name) {
    if (values.length == 0) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    double[] copy = values.clone();
    Arrays.sort(copy);
    if (Double.isNaN(copy[copy.length - 1])) {
      throw new IllegalArgumentException(name + " holds NaN at index " + indexOfNaN(values));
    }
    return copy;
  }

  private static int indexOfNaN(double[] values) {
    int i = 0;
    while (!Double.isNaN(values[i])) {
      i++;
    }
    return i;
  }

  /**
   * The q-quantile of {@code values} with linear interpolation between the closest ranks, numpy's default
   * ({@code numpy.quantile(values, q)}, method 'linear', Hyndman and Fan's type 7): with the values sorted,
   * h = (n - 1) q and the result is x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). Sorts a copy, so
   * it takes O(n log n) time and leaves {@code values} as they were.
   *
   * @param values the sample, non-empty, without NaN
   * @param q the probability, in [0, 1]
   * @return the quantile; the minimum for q = 0, the maximum for q = 1
   * @throws IllegalArgumentException if values is empty or holds NaN, or q is not in [0, 1]
   */
  public static double quantile(double[] values, double q) {
    checkQ(q);
    return quantileSorted(sortedCopy(values, "values"), q);
  }

  /**
   * {@link #quantile} for values already sorted in ascending order, in O(1) time. The order is not checked:
   * for unsorted input the result is some interpolation between two of the values.
   *
   * @param sorted the sample in ascending order, non-empty
   * @param q the probability, in [0, 1]
   * @return the quantile
   * @throws IllegalArgumentException if sorted is empty or q is not in [0, 1]
   */
  public static double quantileSorted(double[] sorted, double q) {
    checkQ(q);
    if (sorted.length == 0) {
      throw new IllegalArgumentException("sorted must not be empty");
    }
    double h = (sorted.length - 1) * q;
    int below = (int) Math.floor(h);
    double fraction = h - below;
    double low = sorted[below];
    if (fraction == 0 || low == sorted[below + 1]) {
      return low;
    }
    double high = sorted[below + 1];
    // numpy's _lerp: interpolate from the nearer end, so that the result is monotone in q and hits both ends.
    return fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1 - fraction);
  }

  private static void checkQ(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1], was " + q);
    }
  }
}
