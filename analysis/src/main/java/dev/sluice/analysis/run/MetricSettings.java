package dev.sluice.analysis.run;

import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.api.Durations;
import dev.sluice.api.MetricNamePattern;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;

/**
 * A metric's scheduling and limits with the defaults applied (Argo Rollouts' semantics).
 *
 * @param interval null = no repetition
 * @param count null = unlimited (an interval and no count, or count 0)
 * @param failureLimit -1 = unlimited
 * @param consecutiveSuccessLimit null = none
 * @param retention how many measurements status keeps (the counters keep counting)
 * @param judge whether the metric's provider is the judge (its phase counts toward the run's judge score)
 */
public record MetricSettings(
    String name,
    Duration interval,
    Duration initialDelay,
    Integer count,
    int failureLimit,
    int inconclusiveLimit,
    int consecutiveErrorLimit,
    Integer consecutiveSuccessLimit,
    boolean dryRun,
    int retention,
    boolean judge) {

  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
  public static final int DEFAULT_RETENTION = 10;
  /** Retry after an error when the metric has no interval of its own. */
  public static final Duration DEFAULT_ERROR_RETRY = Duration.ofSeconds(10);

  /** @throws AnalysisSpecException naming the metric and the field that is wrong */
  public static MetricSettings of(Metric metric, List<RolloutAnalysis.DryRun> dryRun,
      List<RolloutAnalysis.MeasurementRetention> retention) {
    String name = metric.name();
    if (name == null || name.isBlank()) {
      throw new AnalysisSpecException("a metric has no name");
    }
    String where = "metric \"" + name + "\"";
    Duration interval = blank(metric.interval()) ? null : duration(where, "interval", metric.interval());
    if (interval != null && interval.isZero()) {
      throw new AnalysisSpecException(where + ": interval must be longer than 0");
    }
    Duration initialDelay = blank(metric.initialDelay()) ? Duration.ZERO : duration(where, "initialDelay", metric.initialDelay());
    Integer count = integer(where, "count", metric.count(), null);
    if (count != null && count < 0) {
      throw new AnalysisSpecException(where + ": count must not be negative");
    }
    if (count != null && count > 1 && interval == null) {
      throw new AnalysisSpecException(where + ": count " + count + " needs an interval between measurements");
    }
    Integer effectiveCount = count == null || count == 0 ? (interval == null ? Integer.valueOf(1) : null) : count;
    int failureLimit = integer(where, "failureLimit", metric.failureLimit(), 0);
    if (failureLimit < -1) {
      throw new AnalysisSpecException(where + ": failureLimit must be -1 (unlimited) or more");
    }
    int inconclusiveLimit = integer(where, "inconclusiveLimit", metric.inconclusiveLimit(), 0);
    int consecutiveErrorLimit = integer(where, "consecutiveErrorLimit", metric.consecutiveErrorLimit(), DEFAULT_CONSECUTIVE_ERROR_LIMIT);
    if (inconclusiveLimit < 0 || consecutiveErrorLimit < 0) {
      throw new AnalysisSpecException(where + ": inconclusiveLimit and consecutiveErrorLimit must not be negative");
    }
    Integer consecutiveSuccessLimit = integer(where, "consecutiveSuccessLimit", metric.consecutiveSuccessLimit(), null);
    if (consecutiveSuccessLimit != null && consecutiveSuccessLimit <= 0) {
      consecutiveSuccessLimit = null;
    }
    return new MetricSettings(name, interval, initialDelay, effectiveCount, failureLimit, inconclusiveLimit,
        consecutiveErrorLimit, consecutiveSuccessLimit, isDryRun(name, dryRun), retention(where, name, retention),
        metric.provider() != null && metric.provider().judge() != null);
  }

  /** When to try again after a measurement that ended in this phase. */
  public Duration retryAfter(boolean error) {
    if (interval != null) {
      return interval;
    }
    return error ? DEFAULT_ERROR_RETRY : null;
  }

  private static boolean isDryRun(String name, List<RolloutAnalysis.DryRun> dryRun) {
    return dryRun != null && dryRun.stream().anyMatch(d -> matches(d.metricName(), name));
  }

  /** The last rule whose pattern matches wins, as in Argo Rollouts. */
  private static int retention(String where, String name, List<RolloutAnalysis.MeasurementRetention> retention) {
    if (retention == null) {
      return DEFAULT_RETENTION;
    }
    RolloutAnalysis.MeasurementRetention rule = null;
    for (RolloutAnalysis.MeasurementRetention r : retention) {
      if (matches(r.metricName(), name)) {
        rule = r;
      }
    }
    if (rule == null || rule.limit() == null) {
      return DEFAULT_RETENTION;
    }
    if (rule.limit() < 1) {
      throw new AnalysisSpecException(where + ": measurementRetention limit must be at least 1");
    }
    return rule.limit();
  }

  private static boolean matches(String pattern, String name) {
    if (blank(pattern)) {
      throw new AnalysisSpecException("a dryRun or measurementRetention rule has no metricName");
    }
    try {
      return MetricNamePattern.matches(pattern, name);
    } catch (IllegalArgumentException e) {
      throw new AnalysisSpecException("metricName " + e.getMessage());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Duration duration(String where, String field, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AnalysisSpecException(where + ": " + field + ": " + e.getMessage());
    }
  }

  private static Integer integer(String where, String field, IntOrString value, Integer fallback) {
    if (value == null || (value.getIntVal() == null && blank(value.getStrVal()))) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    try {
      return Integer.parseInt(value.getStrVal().strip());
    } catch (NumberFormatException e) {
      throw new AnalysisSpecException(where + ": " + field + " \"" + value.getStrVal() + "\" is not an integer");
    }
  }
}
