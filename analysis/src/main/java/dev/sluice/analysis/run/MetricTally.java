package dev.sluice.analysis.run;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.MetricResult;
import java.util.ArrayList;
import java.util.List;

/** One metric's result while the planner works on it: counters and the retained measurements. */
final class MetricTally {
  final String name;
  AnalysisPhase phase;
  String message;
  final List<Measurement> measurements;
  int count;
  int successful;
  int failed;
  int inconclusive;
  int error;
  int consecutiveError;
  int consecutiveSuccess;
  final boolean dryRun;

  MetricTally(String name, MetricResult result, boolean dryRun) {
    this.name = name;
    this.dryRun = dryRun;
    if (result == null) {
      phase = AnalysisPhase.Pending;
      measurements = new ArrayList<>();
      return;
    }
    phase = AnalysisPhase.parse(result.phase());
    message = result.message();
    measurements = new ArrayList<>(result.measurements() == null ? List.of() : result.measurements());
    count = orZero(result.count());
    successful = orZero(result.successful());
    failed = orZero(result.failed());
    inconclusive = orZero(result.inconclusive());
    error = orZero(result.error());
    consecutiveError = orZero(result.consecutiveError());
    consecutiveSuccess = orZero(result.consecutiveSuccess());
  }

  /** Every measurement ever started and finished (in-flight ones are counted when they finish). */
  /** Whether the next measurement that is not an error reaches the metric's count. */
  boolean isLast(MetricSettings metric) {
    return metric.count() != null && count + 1 >= metric.count();
  }

  int finishedAttempts() {
    return count + error;
  }

  Measurement last() {
    return measurements.isEmpty() ? null : measurements.get(measurements.size() - 1);
  }

  Measurement inFlight() {
    Measurement last = last();
    return last != null && last.finishedAt() == null ? last : null;
  }

  /** Records a measurement: replaces the in-flight one it finishes or continues, or appends a new one. */
  void record(Measurement measurement) {
    if (inFlight() != null) {
      measurements.set(measurements.size() - 1, measurement);
    } else {
      measurements.add(measurement);
    }
    AnalysisPhase p = AnalysisPhase.parse(measurement.phase());
    if (!p.completed() || measurement.finishedAt() == null) {
      return;
    }
    if (p == AnalysisPhase.Error) {
      error++;
      consecutiveError++;
      consecutiveSuccess = 0;
      return;
    }
    count++;
    consecutiveError = 0;
    if (p == AnalysisPhase.Successful) {
      successful++;
      consecutiveSuccess++;
    } else {
      consecutiveSuccess = 0;
      if (p == AnalysisPhase.Failed) {
        failed++;
      } else {
        inconclusive++;
      }
    }
  }

  void keepLast(int retention) {
    while (measurements.size() > retention) {
      measurements.remove(0);
    }
  }

  /** The newest measurement in the given phase, for the message that explains the metric's phase. */
  Measurement lastIn(AnalysisPhase p) {
    for (int i = measurements.size() - 1; i >= 0; i--) {
      if (p.name().equals(measurements.get(i).phase())) {
        return measurements.get(i);
      }
    }
    return null;
  }

  MetricResult toResult() {
    return new MetricResult(name, phase.name(), List.copyOf(measurements), message, count, successful, failed,
        inconclusive, error, consecutiveError, consecutiveSuccess, dryRun ? Boolean.TRUE : null);
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
