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

  /** Canary minus baseline at each moment both have a sample: what the sequential test judges. */
  public static double[] differencesAtCommonTimes(Series canary, Series baseline) {
    double[] out = new double[Math.min(canary.size(), baseline.size())];
    int i = 0, j = 0, n = 0;
    while (i < canary.times.length && j < baseline.times.length) {
      if (canary.times[i] == baseline.times[j]) {
        out[n++] = canary.values[i++] - baseline.values[j++];
      } else if (canary.times[i] < baseline.times[j]) {
        i++;
      } else {
        j++;
      }
    }
    return Arrays.copyOf(out, n);
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
