package dev.sluice.analysis.run;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Drives the planner the way the reconciler does (due, measure, assess, wake up at nextLook) with
 * outcomes chosen by the test, and records every measurement it was asked to take.
 */
final class RunSimulation {
  final AnalysisRunPlanner planner = new AnalysisRunPlanner();
  final List<MetricSettings> metrics;
  final List<DueMeasurement> taken = new ArrayList<>();
  final List<Instant> wakeUps = new ArrayList<>();
  AnalysisRunStatus status;
  /** The time of the latest reconcile. */
  Instant now;

  RunSimulation(List<MetricSettings> metrics, Instant start) {
    this.metrics = metrics;
    this.now = start;
  }

  /** @param outcome the phase of measurement number n of a metric */
  RunSimulation runToCompletion(BiFunction<String, Integer, AnalysisPhase> outcome, int maxReconciles) {
    for (int i = 0; i < maxReconciles; i++) {
      if (i > 0) {
        wakeUps.add(now);
      }
      RunAssessment assessment = reconcile(outcome);
      if (AnalysisPhase.parse(status.phase()).completed() || assessment.nextLook().isEmpty() || i == maxReconciles - 1) {
        return this;
      }
      now = assessment.nextLook().get();
    }
    return this;
  }

  RunAssessment reconcile(BiFunction<String, Integer, AnalysisPhase> outcome) {
    Map<String, Measurement> measured = new HashMap<>();
    for (DueMeasurement due : planner.due(metrics, false, status, now)) {
      taken.add(due);
      measured.put(due.metric(), Measurements.finished(outcome.apply(due.metric(), due.number()), now, "m" + due.number()));
    }
    RunAssessment assessment = planner.assess(metrics, false, status, measured, now);
    status = assessment.status();
    return assessment;
  }

  AnalysisRunStatus.MetricResult result(String metric) {
    return status.metricResults().stream().filter(r -> r.name().equals(metric)).findFirst().orElseThrow();
  }
}
