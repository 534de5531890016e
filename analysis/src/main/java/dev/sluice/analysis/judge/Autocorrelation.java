package dev.sluice.analysis.judge;

/**
 * Scraped samples are not independent (a 10-second error rate resembles the previous one), and
 * both judges would fail equal canaries far more often than alpha if they assumed they were.
 */
final class Autocorrelation {
  private static final double MAX = 0.9;

  private Autocorrelation() {}

  /**
   * The lag-1 autocorrelation of {@code x}, corrected for the estimator's downward bias in short
   * series (about −(1 + 3ρ)/n, Marriott and Pope 1954), clipped to [0, 0.9]: negative
   * autocorrelation is not credited.
   */
  static double lagOne(double[] x) {
    int n = x.length;
    if (n < 3) {
      return 0;
    }
    double m = 0;
    for (double v : x) {
      m += v;
    }
    m /= n;
    double ss = 0;
    double lag = 0;
    for (int i = 0; i < n; i++) {
      ss += (x[i] - m) * (x[i] - m);
      if (i > 0) {
        lag += (x[i] - m) * (x[i - 1] - m);
      }
    }
    if (ss == 0) {
      return 0;
    }
    double r = lag / ss;
    double corrected = (n * r + 1) / (n - 3.0);
    return Math.max(0, Math.min(MAX, corrected));
  }

  /**
   * Means of consecutive blocks long enough to be nearly independent: (1 + ρ)/(1 − ρ) samples
   * (ρ from {@link #lagOne}), but short enough to leave at least {@code minBlocks} blocks.
   */
  static double[] blockMeans(double[] x, double rho, int minBlocks) {
    int block = Math.min((int) Math.ceil((1 + rho) / (1 - rho)), Math.max(1, x.length / minBlocks));
    if (block <= 1) {
      return x.clone();
    }
    int blocks = x.length / block;
    double[] out = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      double s = 0;
      for (int i = 0; i < block; i++) {
        s += x[b * block + i];
      }
      out[b] = s / block;
    }
    return out;
  }
}
