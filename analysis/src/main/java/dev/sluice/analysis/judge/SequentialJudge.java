package dev.sluice.analysis.judge;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * An anytime-valid sequential test on the differences canary − baseline at the moments both were
 * sampled (load that moves both at once cancels out): a mixture likelihood ratio, as in the mixture
 * sequential probability ratio test of H. Robbins, "Statistical methods related to the law of the
 * iterated logarithm" (Ann. Math. Statist. 41, 1970), used for A/B tests by R. Johari, P. Koomen,
 * L. Pekelis and D. Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests" (Operations
 * Research 70(3), 2022).
 *
 * <p>The differences' variance is unknown, and plugging in an estimate fails equal canaries beyond
 * alpha when samples are few. So the mixture is the one of the sequential t-test: standardized
 * effect δ = (mean − θ₀)/σ, a normal mixing distribution on δ (variance {@code g}) restricted to
 * the bad side, and the right Haar prior 1/σ on the unknown σ. That ratio is a Bayes factor,
 *
 * <pre>B⁺ = 2 · (1 + ng)^(−1/2) · (Q/A)^(n/2) · Tₙ(C·√(n/A)),
 *   S = Σxᵢ, Q = Σxᵢ², A = Q − gS²/(1 + ng), C = S·√(g/(1 + ng)), xᵢ = dᵢ − θ₀</pre>
 *
 * (Tₙ Student's t distribution function with n degrees of freedom; without the restriction to the
 * bad side it is the t-test Bayes factor of J. Rouder et al., Psychon. Bull. Rev. 16(2), 2009, with
 * a fixed g), and it is an e-process for the null "δ = 0" under continuous monitoring — a Bayes
 * factor with the right Haar prior on the nuisance scale is a martingale in the data's scale
 * invariant: T. L. Lai, "On confidence sequences" (Ann. Statist. 4(2), 1976); M. F. Pérez-Ortiz,
 * T. Lardy, R. de Heide and P. Grünwald, "E-statistics, group invariance and anytime-valid
 * testing" (Ann. Statist. 52(4), 2024). For δ < 0 (a canary better than tolerated) it is a
 * supermartingale. By Ville's inequality the chance that B⁺ ever reaches 1/α, at any of the looks,
 * is at most α; the judge fails the canary the first time it does.
 *
 * <p>Scraped samples are autocorrelated (a rate over a window shares most of it with the previous
 * sample), and the test above, which counts them as independent, would fail equal canaries beyond
 * alpha. Every sum in the ratio is multiplied by the effective-sample-size factor
 * k = (1 − ρ)/(1 + ρ) of a lag-1 autocorrelation ρ, the usual correction for a mean of an AR(1)
 * series (F. Zwiers and H. von Storch, "Taking serial correlation into account in tests of the
 * mean", J. Climate 8, 1995): the log-likelihood of n dependent samples counts as that of kn
 * independent ones. ρ is estimated from the differences and both sides' series together (one
 * series' estimate is too noisy after a dozen samples, and an underestimate fails equal canaries)
 * and raised by {@link Autocorrelation#raised}. When both sides swing together slowly, the sides'
 * autocorrelation overstates the differences' and costs power, never alpha. That correction is an
 * approximation, measured by {@code bench/judge} rather than proven.
 *
 * <p>Nothing is carried between measurements: every look recomputes the ratio from all samples
 * since the run started, which Prometheus keeps, so a controller restart changes no verdict.
 */
public final class SequentialJudge implements Judge {
  /**
   * The mixing variance g on the standardized effect: the mixture's weight is on effects of about
   * 0.7 of a sample's standard deviation. Measured with bench/judge's --mixing (horizon 60 samples,
   * alpha 1%): from g = 1 to 1/2, errors 1% → 1.5% power 0.938 → 0.947, latency +10% 0.914 → 0.925,
   * false failures at AR(1) 0.8 0.95% → 0.67%; 1% → 2% still fails at 18 samples (p50), p90 24 → 30;
   * AR(1) 0.6 +25% power 0.736 → 0.685. g = 1/4 gains no more on small effects (0.949) and loses
   * more where autocorrelation leaves few effective samples (0.548); g = 2 breaks alpha at AR(1) 0.8
   * (1.13%).
   */
  public static final double DEFAULT_MIXING = 0.5;
  /** Fewer effective samples than this (autocorrelation leaves few) is not enough to judge. */
  static final double MIN_EFFECTIVE_SAMPLES = 2;

  private final double mixing;

  public SequentialJudge() {
    this(DEFAULT_MIXING);
  }

  /** @param mixing the mixing variance g on the standardized effect, > 0 */
  public SequentialJudge(double mixing) {
    if (!(mixing > 0) || Double.isInfinite(mixing)) {
      throw new IllegalArgumentException("the mixing variance must be a finite number > 0, not " + mixing);
    }
    this.mixing = mixing;
  }

  @Override
  public Judgement judge(Series canary, Series baseline, JudgeSettings settings, boolean last) {
    Series.Paired paired = Series.atCommonTimes(canary, baseline);
    double[] d = paired.differences();
    double canaryMean = canary.mean();
    double baselineMean = baseline.mean();
    double effect = Judgement.relativeEffect(canaryMean, baselineMean);
    if (d.length < settings.minSamples()) {
      return tooFew(canary, baseline, effect, last, d.length + " moments with samples of both canary and baseline;"
          + " at least " + settings.minSamples() + " are needed to judge");
    }
    // pooled over the differences and both sides (same query, same scrape): the differences' own
    // estimate is noisy in a short series, and an underestimate fails equal canaries
    double rho = Autocorrelation.raised(Autocorrelation.lagOne(d, paired.canary(), paired.baseline()), d.length);
    double mean = mean(d);
    double scale = Math.max(Math.abs(canaryMean), Math.abs(baselineMean));
    double variance = variance(d, mean, scale);
    // differences without variation (exact counters whose load swings cancel) leave nothing to correct
    double k = variance <= floor(scale) ? 1 : Autocorrelation.sampleSizeFactor(rho);
    if (k * d.length < MIN_EFFECTIVE_SAMPLES) {
      return tooFew(canary, baseline, effect, last, String.format(
          "%d moments, but so autocorrelated that they count as %.1f independent samples; at least %.0f are needed",
          d.length, k * d.length, MIN_EFFECTIVE_SAMPLES));
    }
    double margin = settings.margin(baselineMean);
    double logEvidence;
    double threshold;
    switch (settings.direction()) {
      case INCREASE -> {
        logEvidence = logEvidence(d.length, k, mean - margin, variance, mixing);
        threshold = Math.log(1 / settings.alpha());
      }
      case DECREASE -> {
        logEvidence = logEvidence(d.length, k, -mean - margin, variance, mixing);
        threshold = Math.log(1 / settings.alpha());
      }
      default -> {
        // two one-sided tests at alpha/2 each
        logEvidence = Math.max(logEvidence(d.length, k, mean - margin, variance, mixing),
            logEvidence(d.length, k, -mean - margin, variance, mixing));
        threshold = Math.log(2 / settings.alpha());
      }
    }
    boolean worse = logEvidence >= threshold;
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

  private static Judgement tooFew(Series canary, Series baseline, double effect, boolean last, String reason) {
    return new Judgement(last ? Verdict.INCONCLUSIVE : Verdict.CONTINUE, canary.size(), canary.mean(), baseline.size(),
        baseline.mean(), effect, Double.NaN, Double.NaN, reason);
  }

  /**
   * log B⁺ (see the class comment) for n samples whose excess over the null's mean (positive = bad)
   * averages {@code excess}, with sample variance {@code variance}, each sum weighted by the
   * effective-sample-size factor {@code k}.
   */
  static double logEvidence(int n, double k, double excess, double variance, double g) {
    double ne = k * n;
    double q = k * ((n - 1) * variance + n * excess * excess);
    double s = ne * excess;
    double a = q - g * s * s / (1 + ne * g);
    double c = s * Math.sqrt(g / (1 + ne * g));
    double bad = TDistribution.of(ne).cumulativeProbability(c * Math.sqrt(ne / a));
    return Math.log(2) - 0.5 * Math.log1p(ne * g) + ne / 2 * (Math.log(q) - Math.log(a)) + Math.log(bad);
  }

  /** The differences' sample variance, never zero (a tiny floor relative to the metric's scale). */
  static double variance(double[] d, double mean, double scale) {
    double ss = 0;
    for (double v : d) {
      ss += (v - mean) * (v - mean);
    }
    return Math.max(ss / (d.length - 1), floor(scale));
  }

  private static double floor(double scale) {
    return Math.pow(Autocorrelation.CONSTANT * Math.max(1, scale), 2);
  }

  private static double mean(double[] d) {
    double s = 0;
    for (double v : d) {
      s += v;
    }
    return s / d.length;
  }
}
