package dev.sluice.analysis.judge;

/**
 * An anytime-valid sequential test: the normal-mixture sequential probability ratio test (mSPRT) of
 * H. Robbins, "Statistical methods related to the law of the iterated logarithm" (Ann. Math.
 * Statist. 41, 1970), in the form used for A/B tests by R. Johari, P. Koomen, L. Pekelis and D.
 * Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests" (Operations Research 70(3),
 * 2022).
 *
 * <p>It judges the differences canary − baseline at the moments both were sampled, so load that
 * moves both at once cancels out. With differences d₁…dₙ of variance σ² and the null hypothesis
 * "the mean difference is the tolerated margin θ₀", the mixture likelihood ratio with a N(θ₀, τ²)
 * mixing distribution is
 *
 * <pre>Λₙ = √(σ² / (σ² + nτ²)) · exp(n²τ²(d̄ − θ₀)² / (2σ²(σ² + nτ²)))</pre>
 *
 * Λ is a nonnegative martingale under the null, so by Ville's inequality the chance that it ever
 * reaches 1/α — at any of the looks, however many — is at most α. The judge fails the canary the
 * first time Λ reaches 1/α on the bad side of the margin, so a clearly worse canary stops early.
 *
 * <p>Two departures from the textbook, both measured by {@code bench/judge}: σ² is estimated from
 * the differences (plugged in), and inflated by (1 + ρ)/(1 − ρ) for the lag-1 autocorrelation ρ
 * that scraped time series have (a 10-second error rate is not independent of the previous one);
 * τ² is σ², which puts the mixture's weight on effects of about one standard deviation.
 *
 * <p>Nothing is carried between measurements: every look recomputes Λ from all samples since the
 * run started, which Prometheus keeps, so a controller restart changes no verdict.
 */
public final class SequentialJudge implements Judge {
  @Override
  public Judgement judge(Series canary, Series baseline, JudgeSettings settings, boolean last) {
    double[] d = Series.differencesAtCommonTimes(canary, baseline);
    double canaryMean = canary.mean();
    double baselineMean = baseline.mean();
    double effect = Judgement.relativeEffect(canaryMean, baselineMean);
    if (d.length < settings.minSamples()) {
      Verdict v = last ? Verdict.INCONCLUSIVE : Verdict.CONTINUE;
      return new Judgement(v, canary.size(), canaryMean, baseline.size(), baselineMean, effect, Double.NaN,
          Double.NaN, d.length + " moments with samples of both canary and baseline; at least "
              + settings.minSamples() + " are needed to judge");
    }
    double margin = settings.margin(baselineMean);
    double variance = effectiveVariance(d, Math.max(Math.abs(canaryMean), Math.abs(baselineMean)));
    double meanDiff = mean(d);
    double logEvidence;
    double threshold;
    boolean worse;
    switch (settings.direction()) {
      case INCREASE -> {
        logEvidence = logMixtureRatio(d.length, meanDiff, margin, variance);
        threshold = Math.log(1 / settings.alpha());
        worse = meanDiff > margin && logEvidence >= threshold;
      }
      case DECREASE -> {
        logEvidence = logMixtureRatio(d.length, meanDiff, -margin, variance);
        threshold = Math.log(1 / settings.alpha());
        worse = meanDiff < -margin && logEvidence >= threshold;
      }
      default -> {
        // two one-sided tests at alpha/2 each
        double up = logMixtureRatio(d.length, meanDiff, margin, variance);
        double down = logMixtureRatio(d.length, meanDiff, -margin, variance);
        threshold = Math.log(2 / settings.alpha());
        logEvidence = meanDiff > 0 ? up : down;
        worse = (meanDiff > margin && up >= threshold) || (meanDiff < -margin && down >= threshold);
      }
    }
    double evidence = Math.exp(Math.min(logEvidence, 700));
    String against = String.format("evidence %.3g against a canary no worse than the baseline%s (fails at %.3g)",
        evidence, margin > 0 ? " within the tolerance" : "", Math.exp(threshold));
    Verdict verdict = worse ? Verdict.FAIL : last ? Verdict.PASS : Verdict.CONTINUE;
    String reason = switch (verdict) {
      case FAIL -> "the canary is worse than the baseline: " + against;
      case PASS -> "the canary is not shown worse than the baseline over the run: " + against;
      default -> "no decision yet: " + against;
    };
    return new Judgement(verdict, canary.size(), canaryMean, baseline.size(), baselineMean, effect, Double.NaN,
        evidence, reason);
  }

  /** log Λₙ for mean difference {@code meanDiff} over n differences, with τ² = σ². */
  static double logMixtureRatio(int n, double meanDiff, double theta0, double variance) {
    double tau2 = variance;
    double denom = variance + n * tau2;
    double gap = meanDiff - theta0;
    return 0.5 * Math.log(variance / denom) + (double) n * n * tau2 * gap * gap / (2 * variance * denom);
  }

  /** The differences' variance, inflated for lag-1 autocorrelation, and never zero. */
  static double effectiveVariance(double[] d, double scale) {
    double m = mean(d);
    double ss = 0;
    for (double v : d) {
      ss += (v - m) * (v - m);
    }
    double variance = ss / (d.length - 1);
    double rho = Autocorrelation.lagOne(d);
    double floor = Math.pow(1e-9 * Math.max(1, scale), 2);
    return Math.max(variance * (1 + rho) / (1 - rho), floor);
  }

  private static double mean(double[] d) {
    double s = 0;
    for (double v : d) {
      s += v;
    }
    return s / d.length;
  }
}
