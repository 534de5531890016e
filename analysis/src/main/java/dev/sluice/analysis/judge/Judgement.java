package dev.sluice.analysis.judge;

/**
 * One measurement's verdict and what it rests on.
 *
 * @param canaryN samples of the canary judged
 * @param canaryMean their mean (NaN when none)
 * @param baselineN samples of the baseline judged
 * @param baselineMean their mean (NaN when none)
 * @param effect relative change of the canary against the baseline ((canary - baseline) / |baseline|;
 *     NaN when the baseline's mean is 0 or unknown)
 * @param pValue the Mann-Whitney test's p-value, or NaN for the sequential method
 * @param evidence the sequential test's likelihood ratio against "no worse than tolerated" (it fails
 *     at 1/alpha), or NaN for the Mann-Whitney method
 * @param reason one sentence for a person
 */
public record Judgement(
    Verdict verdict,
    int canaryN,
    double canaryMean,
    int baselineN,
    double baselineMean,
    double effect,
    double pValue,
    double evidence,
    String reason) {

  static double relativeEffect(double canaryMean, double baselineMean) {
    if (!Double.isFinite(canaryMean) || !Double.isFinite(baselineMean) || baselineMean == 0) {
      return Double.NaN;
    }
    return (canaryMean - baselineMean) / Math.abs(baselineMean);
  }
}
