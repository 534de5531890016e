package dev.sluice.analysis.judge;

/**
 * Scraped samples are not independent (a 10-second error rate resembles the previous one), and
 * both judges would fail equal canaries far more often than alpha if they assumed they were.
 */
final class Autocorrelation {
  private static final double MAX = 0.9;
  /** Deviations below this share of a series' magnitude (and below this, absolute) are rounding: the series is constant. */
  static final double CONSTANT = 1e-9;

  private Autocorrelation() {}

  /**
   * The lag-1 autocorrelation of series that share it (each about its own mean, pooled), corrected
   * for the estimator's downward bias in short series (about −(1 + 3ρ)/n, Marriott and Pope 1954),
   * clipped to [0, 0.9]: negative autocorrelation is not credited.
   */
  static double lagOne(double[]... series) {
    int n = 0;
    int counted = 0;
    double ss = 0;
    double lag = 0;
    for (double[] x : series) {
      if (x.length < 2) {
        continue;
      }
      double m = 0;
      for (double v : x) {
        m += v;
      }
      m /= x.length;
      double squares = 0;
      double products = 0;
      for (int i = 0; i < x.length; i++) {
        squares += (x[i] - m) * (x[i] - m);
        if (i > 0) {
          products += (x[i] - m) * (x[i - 1] - m);
        }
      }
      if (squares <= x.length * Math.pow(CONSTANT * Math.max(1, Math.abs(m)), 2)) {
        // a constant series (exact counters): its rounding dust would look perfectly correlated
        continue;
      }
      ss += squares;
      lag += products;
      n += x.length;
      counted++;
    }
    if (counted == 0 || ss == 0) {
      return 0;
    }
    // the bias is that of one series' length, each being centred on its own mean
    n /= counted;
    if (n < 3) {
      return 0;
    }
    double r = lag / ss;
    double corrected = (n * r + 1) / (n - 3.0);
    return Math.max(0, Math.min(MAX, corrected));
  }

  /**
   * The effective-sample-size factor (1 − ρ)/(1 + ρ) of a lag-1 autocorrelation ρ: n samples of an
   * AR(1) series estimate a mean as well as that many times n independent ones (F. Zwiers and H. von
   * Storch, "Taking serial correlation into account in tests of the mean", J. Climate 8, 1995).
   */
  static double sampleSizeFactor(double rho) {
    return (1 - rho) / (1 + rho);
  }

  /**
   * An estimate from {@code samples} values, raised by half its standard error (about 1/√samples,
   * M. S. Bartlett 1946) when it is distinguishable from zero (above one standard error), at most
   * to 0.9. An underestimate in a short series fails equal canaries beyond alpha ({@code
   * bench/judge}: AR(1) 0.8, 1.5% at alpha 1% without the raise, 0.95% with it); raising estimates
   * indistinguishable from zero too would cost independent samples power for nothing.
   */
  static double raised(double estimate, int samples) {
    double standardError = 1 / Math.sqrt(samples);
    return estimate > standardError ? Math.min(MAX, estimate + standardError / 2) : estimate;
  }
}
