package dev.sluice.analysis.judge;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.ranking.NaturalRanking;

/**
 * Kayenta's method: at the end of a fixed horizon (the run's last measurement), one Mann-Whitney U
 * test of the canary's samples against the baseline's, shifted by the tolerated margin; before
 * that it only looks. One test at one moment keeps the false-failure rate at alpha, but a clearly
 * bad canary runs until the horizon.
 *
 * <p>The rank test assumes independent samples; scraped ones are autocorrelated, and it would fail
 * equal canaries beyond alpha. U's deviation from its mean is, to first order (its Hájek
 * projection), m·Σ(F(Xᵢ) − ½) − n·Σ(F(Yⱼ) − ½): a sum over each side's samples, whose variance
 * autocorrelation multiplies by f = (1 + ρ)/(1 − ρ), ρ the lag-1 autocorrelation of the rank scores
 * (the effective-sample-size correction of F. Zwiers and H. von Storch, "Taking serial correlation
 * into account in tests of the mean", J. Climate 8, 1995, applied to the ranks). So the test's
 * z-score is divided by √f and compared with Student's t on the effective samples' degrees of
 * freedom, as their test of the mean is. They also found that test liberal when ρ is estimated from
 * a short series, which {@code bench/judge} confirms (1.2% false failures at alpha 1% for AR(1)
 * 0.6, 60 samples per side), hence {@link Autocorrelation#raised}.
 */
public final class MannWhitneyJudge implements Judge {
  private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

  @Override
  public Judgement judge(Series canary, Series baseline, JudgeSettings settings, boolean last) {
    double canaryMean = canary.mean();
    double baselineMean = baseline.mean();
    double effect = Judgement.relativeEffect(canaryMean, baselineMean);
    if (canary.size() < settings.minSamples() || baseline.size() < settings.minSamples()) {
      return new Judgement(last ? Verdict.INCONCLUSIVE : Verdict.CONTINUE, canary.size(), canaryMean,
          baseline.size(), baselineMean, effect, Double.NaN, Double.NaN,
          canary.size() + " canary and " + baseline.size() + " baseline samples; at least "
              + settings.minSamples() + " of each are needed to judge");
    }
    if (!last) {
      return new Judgement(Verdict.CONTINUE, canary.size(), canaryMean, baseline.size(), baselineMean, effect,
          Double.NaN, Double.NaN, "a fixed-horizon test: judged at the last measurement");
    }
    double margin = settings.margin(baselineMean);
    double[] x = canary.values();
    double[] y = baseline.values();
    double p = switch (settings.direction()) {
      case INCREASE -> pValue(x, y, AlternativeHypothesis.GREATER_THAN, margin);
      case DECREASE -> pValue(x, y, AlternativeHypothesis.LESS_THAN, -margin);
      default -> Math.min(1, 2 * Math.min(
          pValue(x, y, AlternativeHypothesis.GREATER_THAN, margin),
          pValue(x, y, AlternativeHypothesis.LESS_THAN, -margin)));
    };
    boolean worse = p < settings.alpha();
    String reason = String.format("Mann-Whitney p-value %.3g %s alpha %.3g", p, worse ? "<" : ">=", settings.alpha())
        + (worse ? ": the canary is worse than the baseline" : ": the canary is not shown worse than the baseline");
    return new Judgement(worse ? Verdict.FAIL : Verdict.PASS, canary.size(), canaryMean, baseline.size(),
        baselineMean, effect, p, Double.NaN, reason);
  }

  /**
   * p-value of "canary − shift is stochastically {@code alternative} than the baseline", corrected
   * for each side's autocorrelation (see the class comment).
   */
  static double pValue(double[] canary, double[] baseline, AlternativeHypothesis alternative, double shift) {
    double independent = MannWhitneyUTest.withDefaults().with(alternative).withMu(shift).test(canary, baseline)
        .getPValue();
    double inflation = varianceInflation(canary, baseline, shift);
    double z = NORMAL.inverseSurvivalProbability(independent);
    double freedom = Math.max(1, (canary.length + baseline.length) / inflation - 2);
    return TDistribution.of(freedom).survivalProbability(z / Math.sqrt(inflation));
  }

  /** f: how much autocorrelation widens U's distribution (never below 1). */
  static double varianceInflation(double[] canary, double[] baseline, double shift) {
    int n = canary.length;
    int m = baseline.length;
    double[] pooled = new double[n + m];
    for (int i = 0; i < n; i++) {
      pooled[i] = canary[i] - shift;
    }
    System.arraycopy(baseline, 0, pooled, n, m);
    double[] ranks = new NaturalRanking().apply(pooled);
    // one autocorrelation for both sides (same query, same scrape): one side's is noisy, and an
    // underestimate fails equal canaries
    double rho = Autocorrelation.raised(
        Autocorrelation.lagOne(Arrays.copyOfRange(ranks, 0, n), Arrays.copyOfRange(ranks, n, n + m)), n + m);
    return 1 / Autocorrelation.sampleSizeFactor(rho);
  }
}
