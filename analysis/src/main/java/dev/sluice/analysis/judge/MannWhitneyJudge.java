package dev.sluice.analysis.judge;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Kayenta's method: at the end of a fixed horizon (the run's last measurement), one Mann-Whitney U
 * test of the canary's samples against the baseline's, shifted by the tolerated margin; before
 * that it only looks. One test at one moment keeps the false-failure rate at alpha, but a clearly
 * bad canary runs until the horizon.
 */
public final class MannWhitneyJudge implements Judge {

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
    // block means: a rank test on autocorrelated samples fails equal canaries far beyond alpha
    double rho = Math.max(Autocorrelation.lagOne(canary.values()), Autocorrelation.lagOne(baseline.values()));
    double[] x = Autocorrelation.blockMeans(canary.values(), rho, settings.minSamples());
    double[] y = Autocorrelation.blockMeans(baseline.values(), rho, settings.minSamples());
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

  /** p-value of "canary − shift is stochastically {@code alternative} than the baseline". */
  private static double pValue(double[] canary, double[] baseline, AlternativeHypothesis alternative, double shift) {
    return MannWhitneyUTest.withDefaults().with(alternative).withMu(shift).test(canary, baseline).getPValue();
  }
}
