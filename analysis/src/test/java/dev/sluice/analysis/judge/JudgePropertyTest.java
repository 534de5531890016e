package dev.sluice.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** What the judges' statistics must do whatever the samples. */
class JudgePropertyTest {
  private static final JudgeSettings INCREASE = JudgeSettings.of(Direction.INCREASE, 0, 0.01);
  private static final JudgeSettings DECREASE = JudgeSettings.of(Direction.DECREASE, 0, 0.01);

  /** Latency-like samples around 100 with spread 10, AR(1) with {@code rho}, plus {@code shift}. */
  private static double[] samples(long seed, int n, double rho, double shift) {
    Random r = new Random(seed);
    double[] v = new double[n];
    double e = r.nextGaussian();
    for (int i = 0; i < n; i++) {
      e = rho * e + Math.sqrt(1 - rho * rho) * r.nextGaussian();
      v[i] = 100 + shift + 10 * e;
    }
    return v;
  }

  private static double[] affine(double[] v, double scale, double offset) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = scale * v[i] + offset;
    }
    return out;
  }

  @Property(tries = 200)
  void theSequentialEvidenceDoesNotDependOnTheMetricsUnitOrOrigin(@ForAll long seed, @ForAll @IntRange(min = 10, max = 80) int n,
      @ForAll @DoubleRange(min = 0, max = 0.8) double rho, @ForAll @DoubleRange(min = -5, max = 15) double shift,
      @ForAll @DoubleRange(min = 0.01, max = 100) double scale, @ForAll @DoubleRange(min = -50, max = 50) double offset) {
    double[] c = samples(seed, n, rho, shift);
    double[] b = samples(seed + 1, n, rho, 0);
    Judgement plain = new SequentialJudge().judge(Series.of(c), Series.of(b), INCREASE, false);
    Judgement moved = new SequentialJudge().judge(Series.of(affine(c, scale, offset)), Series.of(affine(b, scale, offset)),
        INCREASE, false);
    assertThat(moved.verdict()).isEqualTo(plain.verdict());
    if (Double.isNaN(plain.evidence())) {
      assertThat(moved.evidence()).isNaN();
      return;
    }
    assertThat(Math.log(moved.evidence())).isCloseTo(Math.log(plain.evidence()), within(1e-6 * (1 + Math.abs(Math.log(plain.evidence())))));
  }

  @Property(tries = 200)
  void aCanaryNeverWorseThanTheBaselineAtAnyMomentIsNeverFailed(@ForAll long seed, @ForAll @IntRange(min = 10, max = 80) int n,
      @ForAll @DoubleRange(min = 0, max = 0.8) double rho) {
    double[] b = samples(seed, n, rho, 0);
    double[] gap = samples(seed + 1, n, rho, 0);
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = b[i] - Math.abs(gap[i] - 100);
    }
    Judgement j = new SequentialJudge().judge(Series.of(c), Series.of(b), INCREASE, true);
    assertThat(j.verdict()).isNotEqualTo(Verdict.FAIL);
    if (j.verdict() == Verdict.PASS) {
      assertThat(j.evidence()).as("no mixture of worse canaries explains these better than an equal one")
          .isLessThanOrEqualTo(1);
    }
  }

  @Property(tries = 200)
  void evidenceGrowsWithTheCanarysExcess(@ForAll @IntRange(min = 10, max = 200) int n,
      @ForAll @DoubleRange(min = 0.05, max = 1) double k, @ForAll @DoubleRange(min = -3, max = 3) double excess,
      @ForAll @DoubleRange(min = 0.01, max = 2) double more, @ForAll @DoubleRange(min = 0.1, max = 4) double variance) {
    double ne = k * n;
    if (ne < SequentialJudge.MIN_EFFECTIVE_SAMPLES) {
      return;
    }
    assertThat(SequentialJudge.logEvidence(n, k, excess + more, variance, SequentialJudge.DEFAULT_MIXING))
        .isGreaterThanOrEqualTo(SequentialJudge.logEvidence(n, k, excess, variance, SequentialJudge.DEFAULT_MIXING) - 1e-9);
  }

  @Property(tries = 200)
  void whatFailsWithFewerEffectiveSamplesFailsWithMore(@ForAll @IntRange(min = 10, max = 200) int n,
      @ForAll @DoubleRange(min = 0.2, max = 1) double k, @ForAll @DoubleRange(min = 0.05, max = 0.9) double fewer,
      @ForAll @DoubleRange(min = 0, max = 3) double excess, @ForAll @DoubleRange(min = 0.1, max = 4) double variance) {
    if (k * fewer * n < SequentialJudge.MIN_EFFECTIVE_SAMPLES) {
      return;
    }
    double threshold = Math.log(100);
    if (SequentialJudge.logEvidence(n, k * fewer, excess, variance, 1) >= threshold) {
      assertThat(SequentialJudge.logEvidence(n, k, excess, variance, 1)).isGreaterThanOrEqualTo(threshold);
    }
  }

  @Property(tries = 100)
  void aDecreaseJudgeIsTheIncreaseJudgeOfTheNegatedMetric(@ForAll long seed, @ForAll @IntRange(min = 10, max = 80) int n,
      @ForAll @DoubleRange(min = 0, max = 0.8) double rho, @ForAll @DoubleRange(min = -15, max = 5) double shift) {
    double[] c = samples(seed, n, rho, shift);
    double[] b = samples(seed + 1, n, rho, 0);
    double[] nc = affine(c, -1, 0);
    double[] nb = affine(b, -1, 0);
    for (Judge judge : new Judge[] {new SequentialJudge(), new MannWhitneyJudge()}) {
      Judgement down = judge.judge(Series.of(c), Series.of(b), DECREASE, true);
      Judgement up = judge.judge(Series.of(nc), Series.of(nb), INCREASE, true);
      assertThat(down.verdict()).isEqualTo(up.verdict());
      if (down.verdict() == Verdict.INCONCLUSIVE) {
        continue;
      }
      if (judge instanceof SequentialJudge) {
        assertThat(down.evidence()).isCloseTo(up.evidence(), within(1e-9 * (1 + up.evidence())));
      } else {
        assertThat(down.pValue()).isCloseTo(up.pValue(), within(1e-12));
      }
    }
  }

  @Property(tries = 100)
  void theMannWhitneyPValueIsAProbabilityAndAutocorrelationOnlyWidensIt(@ForAll long seed,
      @ForAll @IntRange(min = 10, max = 80) int n, @ForAll @DoubleRange(min = 0, max = 0.9) double rho,
      @ForAll @DoubleRange(min = -10, max = 10) double shift) {
    double[] c = samples(seed, n, rho, shift);
    double[] b = samples(seed + 1, n, rho, 0);
    double p = new MannWhitneyJudge().judge(Series.of(c), Series.of(b), INCREASE, true).pValue();
    assertThat(p).isBetween(0.0, 1.0);
    assertThat(MannWhitneyJudge.varianceInflation(c, b, 0)).isBetween(1.0, 19.0 + 1e-9);
  }

  @Property(tries = 200)
  void theAutocorrelationEstimateIsNeverNegativeNorAbove09(@ForAll long seed, @ForAll @IntRange(min = 3, max = 100) int n,
      @ForAll @DoubleRange(min = -0.9, max = 0.99) double rho) {
    double[] x = samples(seed, n, rho, 0);
    double estimate = Autocorrelation.lagOne(x);
    assertThat(estimate).isBetween(0.0, 0.9);
    assertThat(Autocorrelation.raised(estimate, n)).isBetween(estimate, 0.9);
  }
}
