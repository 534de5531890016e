package dev.sluice.controller.metrics;

import static dev.sluice.controller.metrics.SluiceGauge.ANALYSIS_METRIC_PHASE;
import static dev.sluice.controller.metrics.SluiceGauge.ANALYSIS_METRIC_VALUE;
import static dev.sluice.controller.metrics.SluiceGauge.ANALYSIS_RUN_PHASE;

import dev.sluice.api.Ownership;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.MetricResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The gauge values of AnalysisRuns (pure). A rollout's runs are named after its pod-template hash, so
 * they are not labelled by name: the series of a rollout show its newest run (per metric, so a step
 * run and a background run with different metrics both show). A standalone run, not owned by a
 * Rollout, is labelled by its own name, which a person chose.
 */
public final class AnalysisRunSamples {
  /** Argo Rollouts' phases of a run and of a metric; an unwritten phase counts as Pending. */
  public static final List<String> PHASES = List.of("Pending", "Running", "Successful", "Failed", "Error", "Inconclusive");

  private AnalysisRunSamples() {}

  /** Who a run's series belong to: a rollout (analysisrun empty) or a standalone run (rollout empty). */
  private record Subject(String namespace, String rollout, String analysisRun) {}

  private record MetricKey(Subject subject, String metric) {}

  public static List<GaugeSample> of(Collection<AnalysisRun> runs) {
    Map<Subject, AnalysisRunStatus> newestRun = new LinkedHashMap<>();
    Map<MetricKey, MetricResult> newestMetric = new LinkedHashMap<>();
    runs.stream()
        .sorted(Comparator.comparing((AnalysisRun r) -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(r -> r.getMetadata().getName()))
        .forEach(run -> {
          Subject subject = subjectOf(run);
          AnalysisRunStatus status = run.getStatus();
          newestRun.put(subject, status);
          if (status != null && status.metricResults() != null) {
            for (MetricResult metric : status.metricResults()) {
              if (metric.name() != null) newestMetric.put(new MetricKey(subject, metric.name()), metric);
            }
          }
        });

    List<GaugeSample> samples = new ArrayList<>();
    newestRun.forEach((s, status) -> {
      String phase = phaseOf(status == null ? null : status.phase());
      for (String p : PHASES) {
        samples.add(GaugeSample.of(ANALYSIS_RUN_PHASE, p.equals(phase) ? 1 : 0, s.namespace(), s.rollout(), s.analysisRun(), p));
      }
    });
    newestMetric.forEach((key, metric) -> {
      Subject s = key.subject();
      String phase = phaseOf(metric.phase());
      for (String p : PHASES) {
        samples.add(GaugeSample.of(ANALYSIS_METRIC_PHASE, p.equals(phase) ? 1 : 0,
            s.namespace(), s.rollout(), s.analysisRun(), key.metric(), p));
      }
      lastNumber(metric.measurements()).ifPresent(v ->
          samples.add(GaugeSample.of(ANALYSIS_METRIC_VALUE, v, s.namespace(), s.rollout(), s.analysisRun(), key.metric())));
    });
    return samples;
  }

  private static Subject subjectOf(AnalysisRun run) {
    var meta = run.getMetadata();
    return Ownership.rolloutOwner(run)
        .map(o -> new Subject(meta.getNamespace(), o.getName(), ""))
        .orElseGet(() -> new Subject(meta.getNamespace(), "", meta.getName()));
  }

  private static String phaseOf(String phase) {
    return phase != null && PHASES.contains(phase) ? phase : "Pending";
  }

  /** The value of the newest measurement that has a number. */
  private static OptionalDouble lastNumber(List<Measurement> measurements) {
    if (measurements == null) return OptionalDouble.empty();
    for (int i = measurements.size() - 1; i >= 0; i--) {
      OptionalDouble value = MeasuredValue.firstNumber(measurements.get(i).value());
      if (value.isPresent()) return value;
    }
    return OptionalDouble.empty();
  }
}
