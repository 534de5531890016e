package dev.sluice.bench.scale;

import java.util.Map;
import java.util.TreeMap;

/** Quantiles of a Prometheus histogram between two scrapes of its text. */
final class Histograms {
  private Histograms() {}

  /**
   * The upper bound of the bucket that holds quantile {@code q} of what {@code metric} counted
   * between the two pages; +Inf when beyond the last bound, NaN when it counted nothing.
   */
  static double quantileBound(String before, String after, String metric, double q) {
    Map<Double, Double> then = buckets(before, metric);
    Map<Double, Double> now = buckets(after, metric);
    double total = now.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - then.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    for (var bucket : now.entrySet()) {
      double cumulative = bucket.getValue() - then.getOrDefault(bucket.getKey(), 0.0);
      if (cumulative >= q * total) {
        return bucket.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Cumulative counts by upper bound, from lines like {@code metric_bucket{le="0.25"} 3.0}. */
  private static Map<Double, Double> buckets(String page, String metric) {
    Map<Double, Double> out = new TreeMap<>();
    page.lines().filter(l -> l.startsWith(metric + "_bucket{")).forEach(l -> {
      int at = l.indexOf("le=\"");
      String le = l.substring(at + 4, l.indexOf('"', at + 4));
      double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      out.merge(bound, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
    });
    return out;
  }
}
