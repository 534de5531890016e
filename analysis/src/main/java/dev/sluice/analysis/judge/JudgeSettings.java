package dev.sluice.analysis.judge;

/**
 * How to judge.
 *
 * @param direction which change is bad
 * @param tolerance relative change still acceptable (0.1 = up to 10% worse than the baseline's mean)
 * @param alpha bound on the probability of failing a canary that is as good as the baseline, over the whole run
 * @param minSamples fewer samples than this on either side (or, for the sequential test, fewer
 *     moments where both have one) is not enough to judge
 */
public record JudgeSettings(Direction direction, double tolerance, double alpha, int minSamples) {
  public static final double DEFAULT_ALPHA = 0.01;
  public static final int DEFAULT_MIN_SAMPLES = 10;

  public JudgeSettings {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be between 0 and 1 (exclusive), not " + alpha);
    }
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a finite number >= 0, not " + tolerance);
    }
    if (minSamples < 2) {
      throw new IllegalArgumentException("minSamples must be at least 2");
    }
  }

  public static JudgeSettings of(Direction direction, double tolerance, double alpha) {
    return new JudgeSettings(direction, tolerance, alpha, DEFAULT_MIN_SAMPLES);
  }

  /** The absolute change still acceptable, given the baseline's mean. */
  double margin(double baselineMean) {
    return tolerance * Math.abs(baselineMean);
  }
}
