package dev.sluice.analysis.judge;

import java.util.Arrays;

/**
 * A metric's samples over time, as a Prometheus range query returns them: {@code times[i]} (a
 * moment on the query's step grid; the judge provider gives epoch milliseconds) and {@code values[i]}. Non-finite values (a NaN error
 * rate when there was no traffic) are not samples and are dropped.
 */
public record Series(long[] times, double[] values) {

  public Series {
    if (times.length != values.length) {
      throw new IllegalArgumentException("times and values differ in length");
    }
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        n++;
      }
    }
    if (n != values.length) {
      long[] t = new long[n];
      double[] v = new double[n];
      for (int i = 0, j = 0; i < values.length; i++) {
        if (Double.isFinite(values[i])) {
          t[j] = times[i];
          v[j++] = values[i];
        }
      }
      times = t;
      values = v;
    } else {
      times = times.clone();
      values = values.clone();
    }
  }

  public static Series of(double... values) {
    long[] t = new long[values.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = i;
    }
    return new Series(t, values);
  }

  public int size() {
    return values.length;
  }

  public double mean() {
    return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public long[] times() {
    return times.clone();
  }

  /** The canary's and the baseline's values at the moments both have a sample, in time order. */
  record Paired(double[] canary, double[] baseline) {
    /** Canary minus baseline at each of those moments: what the sequential test judges. */
    double[] differences() {
      double[] d = new double[canary.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = canary[i] - baseline[i];
      }
      return d;
    }
  }

  static Paired atCommonTimes(Series canary, Series baseline) {
    int most = Math.min(canary.size(), baseline.size());
    double[] c = new double[most];
    double[] b = new double[most];
    int i = 0, j = 0, n = 0;
    while (i < canary.times.length && j < baseline.times.length) {
      if (canary.times[i] == baseline.times[j]) {
        c[n] = canary.values[i++];
        b[n++] = baseline.values[j++];
      } else if (canary.times[i] < baseline.times[j]) {
        i++;
      } else {
        j++;
      }
    }
    return new Paired(Arrays.copyOf(c, n), Arrays.copyOf(b, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s && Arrays.equals(times, s.times) && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(times) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Series" + Arrays.toString(values);
  }
}
