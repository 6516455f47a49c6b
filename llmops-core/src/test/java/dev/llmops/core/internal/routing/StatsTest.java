package dev.llmops.core.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.internal.routing.Stats.Comparison;
import dev.llmops.core.internal.routing.Stats.RankTest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values come from scipy 1.17.1 (numpy for quantiles); each comment gives the Python expression, with
 * {@code from scipy import stats; import numpy as np}.
 */
class StatsTest {

  /** Asserts that actual is within {@code tolerance} of expected, relative to expected. */
  private static void assertRelative(double actual, double expected, double tolerance) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * tolerance));
  }

  // ---- Normal distribution ----------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    // z, stats.norm.cdf(z)
    "-37, 5.7255712225239266e-300",
    "-30, 4.906713927147908e-198",
    "-8, 6.22096057427174e-16",
    "-3, 0.0013498980316300933",
    "-1.5, 0.06680720126885807",
    "-0.5, 0.3085375387259869",
    "-1e-10, 0.49999999996010575",
    "0, 0.5",
    "0.3, 0.6179114221889526",
    // 0.46875 * sqrt(2) and 4 * sqrt(2): the borders between Cody's three approximations
    "0.6629126073623883, 0.7463067366089691",
    "1.96, 0.9750021048517795",
    "5.656854249492381, 0.999999992291371",
    "8, 0.9999999999999993",
    "9, 1.0",
    "40, 1.0",
  })
  void normalCdfMatchesScipyAbsolutelyAndInTheLowerTailRelatively(double z, double expected) {
    double actual = Stats.normalCdf(z);
    assertThat(actual).isCloseTo(expected, within(1e-12));
    // scipy's own error in the far tail is up to 1.2e-13 relative (see the next test)
    assertRelative(actual, expected, 3e-13);
  }

  @ParameterizedTest
  @CsvSource({
    // z, mpmath.nstr(mpmath.ncdf(z), 20) with mpmath.mp.dps = 40
    "-38, 2.8854283600687843084e-316",
    "-37, 5.7255712225245768227e-300",
    "-30, 4.9067139271481870595e-198",
    "-8, 6.2209605742717841235e-16",
    "-3, 0.0013498980316300945267",
    "-1.5, 0.066807201268858066004",
  })
  void normalCdfIsAccurateToAFewUlpsInTheLowerTail(double z, double expected) {
    // -38 is subnormal, where a double holds fewer digits
    assertRelative(Stats.normalCdf(z), expected, z < -37.5 ? 1e-8 : 2e-15);
  }

  @Test
  void normalCdfTakesTheInfinitiesAndRejectsNaN() {
    assertThat(Stats.normalCdf(Double.NEGATIVE_INFINITY)).isZero();
    assertThat(Stats.normalCdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThatThrownBy(() -> Stats.normalCdf(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
  }

  @ParameterizedTest
  @CsvSource({
    // p, stats.norm.ppf(p)
    "1e-300, -37.0470962993612",
    "1e-20, -9.262340089798409",
    "1e-10, -6.361340902404056",
    "0.001, -3.090232306167813",
    // Acklam's border between the tail and the central approximation
    "0.02425, -1.972961051311885",
    "0.02, -2.053748910631823",
    "0.3, -0.5244005127080409",
    "0.5, 0.0",
    "0.7, 0.5244005127080407",
    "0.975, 1.959963984540054",
    "0.999, 3.090232306167813",
    "0.9999999999, 6.361340889697422",
  })
  void normalQuantileMatchesScipy(double p, double expected) {
    // Acklam alone is off by up to 1.15e-9; the Halley step must bring it far below that.
    assertRelative(Stats.normalQuantile(p), expected, 1e-13);
  }

  @Test
  void normalQuantileInvertsTheCdfAndIsAntisymmetric() {
    for (double p = 0.0005; p < 1; p += 0.001) {
      assertRelative(Stats.normalCdf(Stats.normalQuantile(p)), p, 1e-14);
    }
    for (double p : new double[] {0.125, 0.25, 0.0078125, Math.scalb(1.0, -40)}) {
      assertThat(Stats.normalQuantile(1 - p)).isEqualTo(-Stats.normalQuantile(p));
    }
  }

  @Test
  void normalQuantileRejectsProbabilitiesOutsideTheOpenInterval() {
    for (double p : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> Stats.normalQuantile(p))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p must be in (0, 1), was " + p);
    }
  }

  // ---- Student t ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    // t, df, stats.t.cdf(t, df)
    "-50, 0.5, 0.04535260640296637",
    "-2.5, 0.5, 0.2004852645266466",
    "12, 0.5, 0.907469739465399",
    "-50, 2.5, 4.065247542479361e-05",
    "-1, 2.5, 0.20203051363913682",
    "1.8, 2.5, 0.9061245268756848",
    "-50, 9.5, 3.9579327174103803e-13",
    "-8, 9.5, 8.026992676139377e-06",
    "0.7, 9.5, 0.7496455872882353",
    "-50, 30, 9.357708829611355e-31",
    "-8, 30, 3.1329112378503795e-09",
    "3, 30, 0.9973050179671741",
    "12, 30, 0.999999999999721",
    // either side of df = 10,000, where the continued fraction hands over to Hill's transformation
    "-8, 9999.5, 6.910640539942254e-16",
    "-2.5, 9999.5, 0.006217610172631089",
    "1.8, 9999.5, 0.9640546163052995",
    "-8, 10000, 6.910604364532651e-16",
    "-2.5, 10000, 0.006217609775291849",
    "1.8, 10000, 0.9640546170585356",
    "-8, 1e6, 6.227531716601252e-16",
    "-1, 1e6, 0.15865537491678916",
    "0.7, 1e6, 0.7580362663567293",
    "-8, 1e9, 6.220967142227346e-16",
    "-2.5, 1e9, 0.006209665405201246",
    "3, 1e9, 0.998650101935131",
    // scipy underflows to 0 for these; the values are 0.5*mpmath.betainc(df/2, 0.5, 0, df/(df+t*t),
    // regularized=True) with mpmath.mp.dps = 50
    "-1e200, 1, 3.1830988618379067154e-201",
    "-1e300, 0.5, 3.2070097541422290034e-151",
  })
  void studentTCdfMatchesScipy(double t, double df, double expected) {
    assertRelative(Stats.studentTCdf(t, df), expected, 1e-11);
  }

  @Test
  void studentTCdfHasItsClosedFormsAndLimits() {
    for (double t = -20; t <= 20; t += 0.25) {
      // One degree of freedom is the Cauchy distribution; infinitely many are the normal one.
      assertThat(Stats.studentTCdf(t, 1)).isCloseTo(0.5 + Math.atan(t) / Math.PI, within(1e-14));
      assertThat(Stats.studentTCdf(t, Double.POSITIVE_INFINITY)).isEqualTo(Stats.normalCdf(t));
      assertThat(Stats.studentTCdf(t, 7.5) + Stats.studentTCdf(-t, 7.5)).isCloseTo(1.0, within(1e-15));
    }
    assertThat(Stats.studentTCdf(0, 3)).isEqualTo(0.5);
    assertThat(Stats.studentTCdf(0, 1e6)).isEqualTo(0.5);
    assertThat(Stats.studentTCdf(Double.NEGATIVE_INFINITY, 4)).isZero();
    assertThat(Stats.studentTCdf(Double.POSITIVE_INFINITY, 4)).isEqualTo(1.0);
    assertThat(Stats.studentTCdf(-1e200, 1e5)).isZero();
  }

  @Test
  void studentTRejectsBadArguments() {
    for (double df : new double[] {0, -1, Double.NaN, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> Stats.studentTCdf(1, df))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("df must be positive, was " + df);
      assertThatThrownBy(() -> Stats.studentTQuantile(0.9, df))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("df must be positive, was " + df);
    }
    assertThatThrownBy(() -> Stats.studentTCdf(Double.NaN, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t is NaN");
    assertThatThrownBy(() -> Stats.studentTQuantile(1, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("p must be in (0, 1), was 1.0");
  }

  @ParameterizedTest
  @CsvSource({
    // p, df, stats.t.ppf(p, df)
    "0.975, 1, 12.706204736174694",
    "0.975, 2.5, 3.5746548420036817",
    "0.025, 10, -2.2281388519862753",
    "1e-10, 5, -156.82559270889433",
    "0.9, 1e5, 1.2815600314493614",
    "1e-300, 1, -3.183098861837907e+299",
    "0.95, 3.7, 2.1824938039146007",
    "0.999999999999, 40, 9.98789267159704",
    // Beyond t = 1e154 scipy's ppf is wrong (stats.t.ppf(1e-10, 0.01) gives -6.7e152, where the true quantile
    // overflows); these solve the mpmath tail above for t with mpmath.findroot in log t.
    "1e-100, 0.5, -1.0284911563163400118e+199",
    "1e-150, 0.5, -1.0284911563163400118e+299",
  })
  void studentTQuantileMatchesScipy(double p, double df, double expected) {
    assertRelative(Stats.studentTQuantile(p, df), expected, 1e-10);
  }

  @Test
  void studentTQuantileInvertsTheCdfAndOverflowsToInfinity() {
    for (double df : new double[] {0.7, 3, 42.5, 2e4}) {
      for (double p = 0.01; p < 1; p += 0.02) {
        assertRelative(Stats.studentTCdf(Stats.studentTQuantile(p, df), df), p, 1e-12);
      }
    }
    assertThat(Stats.studentTQuantile(0.5, 3)).isZero();
    // The tail at the largest double is still 0.245 (mpmath, as above), so this quantile is beyond it.
    assertThat(Stats.studentTQuantile(1e-10, 0.001)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Stats.studentTQuantile(1 - 1e-10, 0.001)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  // ---- Two proportions -------------------------------------------------------------------------------------

  /**
   * The reference values for one-sided canary tests come from
   * {@code pA=sA/nA; pB=sB/nB; d=pA-pB; se=np.sqrt(pA*(1-pA)/nA+pB*(1-pB)/nB); z=(d-margin)/se;
   * q=stats.norm.ppf(1-(1-conf)/2)} giving {@code d-q*se, d+q*se, stats.norm.sf(z), z}.
   */
  @ParameterizedTest
  @CsvSource({
    // sA, nA, sB, nB, margin, conf, lower, upper, pValue, z
    "130, 1000, 100, 1000, 0.01, 0.95, 0.0020679344393763656, 0.057932065560623636, 0.08025189676572414, 1.4033791953453327",
    "300, 1000, 100, 1000, 0.0, 0.99, 0.15538532774628547, 0.2446146722537145, 3.8218791928155604e-31, 11.547005383792515",
    "7, 40, 2, 60, 0.05, 0.8, 0.05914417855403847, 0.22418915477929485, 0.07728720945726036, 1.4235581459273128",
  })
  void twoProportionsIsAOneSidedUnpooledZTestWithAWaldInterval(long sA, long nA, long sB, long nB, double margin,
      double confidence, double lower, double upper, double pValue, double z) {
    Comparison c = Stats.twoProportions(sA, nA, sB, nB, margin, confidence);
    assertThat(c.estimate()).isEqualTo((double) sA / nA);
    assertThat(c.difference()).isEqualTo((double) sA / nA - (double) sB / nB);
    assertRelative(c.lower(), lower, 1e-12);
    assertRelative(c.upper(), upper, 1e-12);
    assertRelative(c.pValue(), pValue, 1e-11);
    assertRelative(c.statistic(), z, 1e-13);
  }

  @Test
  void twoProportionsFallsBackToThePooledVarianceWhenEachArmIsUniform() {
    // p = 0.5; se = np.sqrt(p*(1-p)*(1/10+1/10)); z = -1/se; stats.norm.sf(z) = 0.9999961278917845
    Comparison worse = Stats.twoProportions(0, 10, 10, 10, 0, 0.95);
    assertRelative(worse.statistic(), -4.47213595499958, 1e-13);
    assertRelative(worse.pValue(), 0.9999961278917845, 1e-13);
    assertThat(worse.lower()).isEqualTo(-1.0);
    assertThat(worse.upper()).isEqualTo(-1.0);
    // z = 1/se; stats.norm.sf(z) = 3.872108215522035e-06
    Comparison better = Stats.twoProportions(10, 10, 0, 10, 0, 0.95);
    assertRelative(better.statistic(), 4.47213595499958, 1e-13);
    assertRelative(better.pValue(), 3.872108215522035e-06, 1e-11);
  }

  @Test
  void twoProportionsWithoutAnyVarianceDecidesOnTheDifferenceAlone() {
    Comparison atMargin = Stats.twoProportions(0, 5, 0, 7, 0, 0.95);
    assertThat(atMargin.pValue()).isEqualTo(1.0);
    assertThat(atMargin.statistic()).isZero();
    assertThat(atMargin.lower()).isZero();
    assertThat(atMargin.upper()).isZero();
    Comparison aboveMargin = Stats.twoProportions(5, 5, 7, 7, -0.1, 0.95);
    assertThat(aboveMargin.pValue()).isZero();
    assertThat(aboveMargin.statistic()).isEqualTo(Double.POSITIVE_INFINITY);
    Comparison belowMargin = Stats.twoProportions(0, 5, 0, 7, 0.1, 0.95);
    assertThat(belowMargin.pValue()).isEqualTo(1.0);
    assertThat(belowMargin.statistic()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void twoProportionsRejectsBadCountsMarginsAndConfidences() {
    assertThatThrownBy(() -> Stats.twoProportions(0, 0, 1, 2, 0, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("trialsA must be at least 1, was 0");
    assertThatThrownBy(() -> Stats.twoProportions(-1, 3, 1, 2, 0, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("successesA must be in [0, 3], was -1");
    assertThatThrownBy(() -> Stats.twoProportions(1, 3, 3, 2, 0, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("successesB must be in [0, 2], was 3");
    assertThatThrownBy(() -> Stats.twoProportionsTwoSided(1, 3, 0, -4, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("trialsB must be at least 1, was -4");
    for (double margin : new double[] {1, -1, Double.NaN}) {
      assertThatThrownBy(() -> Stats.twoProportions(1, 3, 1, 2, margin, 0.95))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("margin must be in (-1, 1), was " + margin);
    }
    for (double confidence : new double[] {0, 1, Double.NaN}) {
      assertThatThrownBy(() -> Stats.twoProportions(1, 3, 1, 2, 0, confidence))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("confidence must be in (0, 1), was " + confidence);
      assertThatThrownBy(() -> Stats.twoProportionsTwoSided(1, 3, 1, 2, confidence))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("confidence must be in (0, 1), was " + confidence);
    }
  }

  /**
   * {@code p=(sA+sB)/(nA+nB); sp=np.sqrt(p*(1-p)*(1/nA+1/nB)); z=d/sp} with d, se and q as for the one-sided
   * test, giving {@code d-q*se, d+q*se, 2*stats.norm.sf(abs(z)), z}.
   */
  @ParameterizedTest
  @CsvSource({
    // sA, nA, sB, nB, conf, lower, upper, pValue, z
    "45, 500, 30, 480, 0.95, -0.005638482667854772, 0.060638482667854765, 0.10548770645875266, 1.6188120601811211",
    "30, 480, 45, 500, 0.9, -0.05531069133812723, 0.0003106913381272329, 0.10548770645875266, -1.6188120601811211",
    "2000, 10000, 1500, 10000, 0.95, 0.03949086392252171, 0.06050913607747832, 1.3419157014824659e-20, 9.304842103984711",
  })
  void twoProportionsTwoSidedIsAPooledZTestWithAWaldInterval(long sA, long nA, long sB, long nB, double confidence,
      double lower, double upper, double pValue, double z) {
    Comparison c = Stats.twoProportionsTwoSided(sA, nA, sB, nB, confidence);
    assertThat(c.estimate()).isEqualTo((double) sA / nA);
    assertRelative(c.lower(), lower, 1e-12);
    assertRelative(c.upper(), upper, 1e-12);
    assertRelative(c.pValue(), pValue, 1e-11);
    assertRelative(c.statistic(), z, 1e-13);
  }

  @Test
  void twoProportionsTwoSidedWithEveryTrialAlikeFindsNoDifference() {
    Comparison c = Stats.twoProportionsTwoSided(4, 4, 9, 9, 0.95);
    assertThat(c.difference()).isZero();
    assertThat(c.statistic()).isZero();
    assertThat(c.pValue()).isEqualTo(1.0);
  }

  // ---- Welch -------------------------------------------------------------------------------------------------

  /**
   * {@code res=stats.ttest_ind_from_stats(mA-margin, np.sqrt(vA), nA, mB, np.sqrt(vB), nB, equal_var=False,
   * alternative='two-sided' if twoSided else 'greater'); sA=vA/nA; sB=vB/nB; se=np.sqrt(sA+sB);
   * df=(sA+sB)**2/(sA**2/(nA-1)+sB**2/(nB-1)); h=stats.t.ppf(1-(1-conf)/2, df)*se} giving
   * {@code d-h, d+h, res.pvalue, res.statistic} with {@code d=mA-mB}.
   */
  @ParameterizedTest
  @CsvSource({
    // mA, vA, nA, mB, vB, nB, margin, twoSided, conf, lower, upper, pValue, t
    "10.5, 4, 20, 9.8, 9, 35, 0.2, false, 0.9, -0.4324560064840808, 1.8324560064840794, 0.23147429595195565, 0.739509972887452",
    "10.5, 4, 20, 9.8, 9, 35, 0, true, 0.95, -0.6569916485078133, 2.056991648507812, 0.3053501686709716, 1.0353139620424319",
    // the smallest samples, df = 1.47
    "1.0, 0.5, 2, 3.0, 2.0, 2, 0, true, 0.95, -8.918522830071064, 4.918522830071064, 0.2585321337078272, -1.7888543819998317",
    "3.0, 0.5, 2, 1.0, 2.0, 2, -0.5, false, 0.95, -4.918522830071064, 8.918522830071064, 0.09936369446726301, 2.23606797749979",
    // one arm without variance: df = nB - 1
    "5.0, 0.0, 10, 4.0, 2.5, 12, 0.5, false, 0.95, -0.004607684096924913, 2.004607684096925, 0.14836326978053382, 1.0954451150103321",
    // t = 15.8 on 7351 degrees of freedom
    "250.0, 100.0, 5000, 200.0, 400.0, 5000, 45, false, 0.95, 49.380102906556935, 50.619897093443065, 1.0551402518387376e-55, 15.811388300841896",
  })
  void welchMatchesScipy(double meanA, double varA, long nA, double meanB, double varB, long nB, double margin,
      boolean twoSided, double confidence, double lower, double upper, double pValue, double t) {
    Comparison c = Stats.welch(meanA, varA, nA, meanB, varB, nB, margin, twoSided, confidence);
    assertThat(c.estimate()).isEqualTo(meanA);
    assertThat(c.difference()).isEqualTo(meanA - meanB);
    assertRelative(c.lower(), lower, 1e-10);
    assertRelative(c.upper(), upper, 1e-10);
    assertRelative(c.pValue(), pValue, 1e-10);
    assertRelative(c.statistic(), t, 1e-13);
  }

  @Test
  void welchWithoutVarianceOnEitherSideDecidesOnTheDifferenceAlone() {
    Comparison above = Stats.welch(3, 0, 5, 1, 0, 8, 1.5, false, 0.95);
    assertThat(above.pValue()).isZero();
    assertThat(above.statistic()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(above.lower()).isEqualTo(2.0);
    assertThat(above.upper()).isEqualTo(2.0);
    assertThat(Stats.welch(3, 0, 5, 1, 0, 8, 2, false, 0.95).pValue()).isEqualTo(1.0);
    assertThat(Stats.welch(3, 0, 5, 1, 0, 8, 2.5, false, 0.95).pValue()).isEqualTo(1.0);
    assertThat(Stats.welch(3, 0, 5, 1, 0, 8, 0, true, 0.95).pValue()).isZero();
    Comparison equal = Stats.welch(3, 0, 5, 3, 0, 8, 0, true, 0.95);
    assertThat(equal.pValue()).isEqualTo(1.0);
    assertThat(equal.statistic()).isZero();
    // stats.ttest_ind_from_stats(250, 10, 5000, 200, 20, 5000, equal_var=False).pvalue is 0.0 as well
    assertThat(Stats.welch(250, 100, 5000, 200, 400, 5000, 0, true, 0.95).pValue()).isZero();
  }

  @Test
  void welchRejectsBadArguments() {
    assertThatThrownBy(() -> Stats.welch(1, 1, 1, 1, 1, 5, 0, false, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("nA must be at least 2, was 1");
    assertThatThrownBy(() -> Stats.welch(1, 1, 5, 1, -0.5, 5, 0, false, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("varB must be finite and not negative, was -0.5");
    assertThatThrownBy(() -> Stats.welch(Double.NaN, 1, 5, 1, 1, 5, 0, false, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("meanA must be finite, was NaN");
    assertThatThrownBy(() -> Stats.welch(1, Double.POSITIVE_INFINITY, 5, 1, 1, 5, 0, false, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("varA must be finite and not negative, was Infinity");
    assertThatThrownBy(() -> Stats.welch(1, 1, 5, 1, 1, 5, 0.1, true, 0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("margin must be finite, and 0 for a two-sided test, was 0.1");
    assertThatThrownBy(() -> Stats.welch(1, 1, 5, 1, 1, 5, Double.NaN, false, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was NaN");
    assertThatThrownBy(() -> Stats.welch(1, 1, 5, 1, 1, 5, 0, false, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("confidence must be in (0, 1), was 1.0");
  }

  // ---- mSPRT ---------------------------------------------------------------------------------------------------

  @Test
  void alwaysValidPValueFollowsTheMixtureLikelihoodRatio() {
    // L = math.sqrt(v/(v+t2))*math.exp(t2*(d-m)**2/(2*v*(v+t2))); min(1, 1/L)
    assertRelative(Stats.alwaysValidPValue(0.03, 1e-4, 0.01, 4e-4), 0.45145433865655926, 1e-13);
    assertRelative(Stats.alwaysValidPValue(0.05, 1e-4, 0.0, 1e-3), 3.850629870837121e-05, 1e-13);
    assertRelative(Stats.alwaysValidPValue(2.5, 0.04, 1.0, 0.25), 7.950597652020164e-11, 1e-12);
    // Lambda below 1 is no evidence at all.
    assertThat(Stats.alwaysValidPValue(0.011, 1e-4, 0.01, 4e-4)).isEqualTo(1.0);
    // Only a difference above the margin counts, however strong the evidence the other way.
    assertThat(Stats.alwaysValidPValue(0.01, 1e-4, 0.01, 4e-4)).isEqualTo(1.0);
    assertThat(Stats.alwaysValidPValue(-5, 1e-4, 0.01, 4e-4)).isEqualTo(1.0);
    // exp overflows in the direct formula here; the log-space one gives 0.
    assertThat(Stats.alwaysValidPValue(1, 1e-6, 0, 1)).isZero();
  }

  @Test
  void alwaysValidPValueRejectsBadArguments() {
    assertThatThrownBy(() -> Stats.alwaysValidPValue(Double.NaN, 1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("difference must be finite, was NaN");
    assertThatThrownBy(() -> Stats.alwaysValidPValue(0.1, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("variance must be positive and finite, was 0.0");
    assertThatThrownBy(() -> Stats.alwaysValidPValue(0.1, 1, Double.POSITIVE_INFINITY, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("margin must be finite, was Infinity");
    assertThatThrownBy(() -> Stats.alwaysValidPValue(0.1, 1, 0, -2))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("tau2 must be positive and finite, was -2.0");
  }

  private static final double BASELINE_RATE = 0.10;
  private static final double MARGIN = 0.02;
  private static final double TAU2 = 0.05 * 0.05;

  /**
   * The fraction of 2,000 simulated canaries (Bernoulli outcomes, up to 5,000 per arm, a look after every 50)
   * in which the running minimum of the look's p-value ever falls below 0.05. {@code mixture} chooses the
   * mSPRT; otherwise each look uses the fixed-horizon one-sided z-test's p-value, which is not valid under
   * peeking.
   */
  private static double alarmRate(double canaryRate, boolean mixture, long seed) {
    int alarms = 0;
    for (int run = 0; run < 2000; run++) {
      SplittableRandom random = new SplittableRandom(seed + run);
      long canaryErrors = 0;
      long baselineErrors = 0;
      double runningMinimum = 1;
      for (int n = 1; n <= 5000 && runningMinimum >= 0.05; n++) {
        canaryErrors += random.nextDouble() < canaryRate ? 1 : 0;
        baselineErrors += random.nextDouble() < BASELINE_RATE ? 1 : 0;
        if (n % 50 == 0) {
          double pA = (double) canaryErrors / n;
          double pB = (double) baselineErrors / n;
          double variance = pA * (1 - pA) / n + pB * (1 - pB) / n;
          double look = !mixture ? Stats.twoProportions(canaryErrors, n, baselineErrors, n, MARGIN, 0.95).pValue()
              : variance > 0 ? Stats.alwaysValidPValue(pA - pB, variance, MARGIN, TAU2) : 1;
          runningMinimum = Math.min(runningMinimum, look);
        }
      }
      alarms += runningMinimum < 0.05 ? 1 : 0;
    }
    return alarms / 2000.0;
  }

  @Test
  void theRunningMinimumKeepsTheFalseAlarmRateUnderPeekingAndStillDetectsARegression() {
    // On the null's boundary (the canary exactly margin worse) peeking at the naive p-value raises false alarms
    // far above 5%, which shows that the simulation can see an invalid procedure.
    double naive = alarmRate(BASELINE_RATE + MARGIN, false, 1);
    assertThat(naive).isGreaterThan(0.15);
    double falseAlarms = alarmRate(BASELINE_RATE + MARGIN, true, 1);
    assertThat(falseAlarms).isLessThanOrEqualTo(0.06);
    double detections = alarmRate(BASELINE_RATE + MARGIN + 0.05, true, 1_000_000);
    assertThat(detections).isGreaterThanOrEqualTo(0.95);
  }

  // ---- Mann-Whitney ----------------------------------------------------------------------------------------

  /**
   * {@code res=stats.mannwhitneyu(a, b, alternative='greater', method='asymptotic', use_continuity=True)} gives
   * U and the p-value; z is scipy's own {@code (U-n1*n2/2-0.5)/s} with
   * {@code s=np.sqrt(n1*n2/12*((n+1)-(t**3-t).sum()/(n*(n-1))))}, t the tie counts.
   */
  @Test
  void mannWhitneyMatchesScipy() {
    RankTest mixed = Stats.mannWhitneyGreater(new double[] {7.0, 1.5, 2.0, 3.5, 4.0}, new double[] {0.5, 2.5, 1.0, 2.0});
    assertThat(mixed.u()).isEqualTo(16.5);
    assertRelative(mixed.z(), 1.475856111043418, 1e-13);
    assertRelative(mixed.pValue(), 0.06999126187919875, 1e-12);
    assertThat(mixed.probabilityGreater()).isEqualTo(0.825);

    RankTest ties = Stats.mannWhitneyGreater(new double[] {3, 3, 5, 5, 5, 8}, new double[] {1, 3, 3, 5, 9, 9, 9, 2});
    assertThat(ties.u()).isEqualTo(24.5);
    assertThat(ties.z()).isZero();
    assertThat(ties.pValue()).isEqualTo(0.5);
    assertRelative(ties.probabilityGreater(), 0.5104166666666666, 1e-15);

    RankTest identical = Stats.mannWhitneyGreater(new double[] {1, 2, 3}, new double[] {3, 2, 1});
    assertThat(identical.u()).isEqualTo(4.5);
    assertRelative(identical.z(), -0.2282177322938192, 1e-13);
    assertRelative(identical.pValue(), 0.5902615116112394, 1e-13);

    double[] high = new double[100];
    double[] low = new double[100];
    for (int i = 0; i < 100; i++) {
      high[i] = 100 + i;
      low[i] = i;
    }
    RankTest separated = Stats.mannWhitneyGreater(high, low);
    assertThat(separated.u()).isEqualTo(10_000.0);
    assertRelative(separated.z(), 12.215722741186958, 1e-13);
    assertRelative(separated.pValue(), 1.2810718345817004e-34, 1e-11);
    assertThat(separated.probabilityGreater()).isEqualTo(1.0);
  }

  @Test
  void mannWhitneyHandlesTinySamplesFullTiesAndSignedZeros() {
    RankTest below = Stats.mannWhitneyGreater(new double[] {1}, new double[] {2});
    assertThat(below.u()).isZero();
    assertRelative(below.z(), -2.0, 1e-15);
    assertRelative(below.pValue(), 0.9772498680518208, 1e-14); // stats.mannwhitneyu([1.0],[2.0],...).pvalue
    RankTest above = Stats.mannWhitneyGreater(new double[] {2}, new double[] {1});
    assertThat(above.u()).isEqualTo(1.0);
    assertThat(above.pValue()).isEqualTo(0.5);
    // Every value tied: scipy divides -0.5 by a zero standard deviation, z = -inf and p = 1.
    RankTest allTied = Stats.mannWhitneyGreater(new double[] {4, 4, 4}, new double[] {4, 4});
    assertThat(allTied.u()).isEqualTo(3.0);
    assertThat(allTied.z()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(allTied.pValue()).isEqualTo(1.0);
    assertThat(allTied.probabilityGreater()).isEqualTo(0.5);
    // -0.0 and 0.0 are one value: stats.mannwhitneyu([-0.0, 1.0], [0.0, 0.5], ...) gives U = 2.5
    assertThat(Stats.mannWhitneyGreater(new double[] {-0.0, 1.0}, new double[] {0.0, 0.5}).u()).isEqualTo(2.5);
  }

  @Test
  void mannWhitneyLeavesItsInputsAloneAndRejectsEmptyOrNaNSamples() {
    double[] a = {3, 1, 2};
    double[] b = {0.5, 9};
    Stats.mannWhitneyGreater(a, b);
    assertThat(a).containsExactly(3, 1, 2);
    assertThat(b).containsExactly(0.5, 9);
    assertThatThrownBy(() -> Stats.mannWhitneyGreater(new double[0], b))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a must not be empty");
    assertThatThrownBy(() -> Stats.mannWhitneyGreater(a, new double[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("b must not be empty");
    assertThatThrownBy(() -> Stats.mannWhitneyGreater(a, new double[] {1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("b holds NaN at index 1");
  }

  // ---- Quantiles ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    // q, np.quantile([7.0, 1.0, 3.0, 3.0, 10.0, -2.5, 4.0], q)
    "0, -2.5",
    "0.1, -0.3999999999999997",
    "0.25, 2.0",
    "0.3333333333333333, 3.0",
    "0.5, 3.0",
    "0.9, 8.200000000000001",
    "0.99, 9.819999999999999",
    "1, 10.0",
  })
  void quantileMatchesNumpysLinearMethodExactly(double q, double expected) {
    double[] values = {7.0, 1.0, 3.0, 3.0, 10.0, -2.5, 4.0};
    assertThat(Stats.quantile(values, q)).isEqualTo(expected);
    assertThat(values).containsExactly(7.0, 1.0, 3.0, 3.0, 10.0, -2.5, 4.0);
    assertThat(Stats.quantileSorted(new double[] {-2.5, 1.0, 3.0, 3.0, 4.0, 7.0, 10.0}, q)).isEqualTo(expected);
  }

  @Test
  void quantileOfTinySamples() {
    assertThat(Stats.quantile(new double[] {42}, 0.3)).isEqualTo(42.0); // np.quantile([42.0], 0.3)
    assertThat(Stats.quantile(new double[] {2, 1}, 0.5)).isEqualTo(1.5); // np.quantile([1.0, 2.0], 0.5)
    assertThat(Stats.quantile(new double[] {0.1, 0.7, 0.2, 1e-3}, 0.75)).isEqualTo(0.325); // np.quantile(..., 0.75)
  }

  @Test
  void quantileRejectsEmptySamplesNaNAndBadProbabilities() {
    assertThatThrownBy(() -> Stats.quantile(new double[0], 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("values must not be empty");
    assertThatThrownBy(() -> Stats.quantileSorted(new double[0], 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sorted must not be empty");
    assertThatThrownBy(() -> Stats.quantile(new double[] {Double.NaN, 1}, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("values holds NaN at index 0");
    for (double q : new double[] {-0.01, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> Stats.quantile(new double[] {1}, q))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("q must be in [0, 1], was " + q);
      assertThatThrownBy(() -> Stats.quantileSorted(new double[] {1}, q))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("q must be in [0, 1], was " + q);
    }
  }
}
