package dev.sluice.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRun;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AnalysisRunSamplesTest {

  /** A run of rollout {@code web}, named the way a rollout names its runs: with the pod-template hash. */
  private static AnalysisRun rolloutRun(String name, String created, String phase, String metrics) {
    return Resources.analysisRun("""
        metadata:
          namespace: shop
          name: %s
          creationTimestamp: "%s"
          ownerReferences: [{apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: web, uid: u1, controller: true}]
        spec: {metrics: []}
        status:
          phase: %s
          metricResults:
        %s
        """.formatted(name, created, phase, metrics.indent(2)));
  }

  private static Map<String, Double> byKey(List<GaugeSample> samples, SluiceGauge gauge) {
    return samples.stream().filter(s -> s.gauge() == gauge)
        .collect(Collectors.toMap(s -> String.join("|", s.labelValues()), GaugeSample::value));
  }

  @Test
  void aRolloutShowsTheMetricsOfItsNewestRunUnderItsOwnNameNotTheRunsHashedName() {
    var older = rolloutRun("web-7d9f8c6b5-2-0", "2025-01-01T10:00:00Z", "Failed", """
        - name: error-rate
          phase: Failed
          measurements: [{phase: Failed, value: "[0.2]"}]
        """);
    var newer = rolloutRun("web-8e0a9d7c6-2-0", "2025-01-01T11:00:00Z", "Running", """
        - name: error-rate
          phase: Running
          measurements: [{phase: Successful, value: "[0.01,0.03]"}, {phase: Error, message: timeout}]
        """);

    List<GaugeSample> samples = AnalysisRunSamples.of(List.of(newer, older));

    assertThat(byKey(samples, SluiceGauge.ANALYSIS_METRIC_VALUE)).containsExactly(Map.entry("shop|web||error-rate", 0.01));
    assertThat(byKey(samples, SluiceGauge.ANALYSIS_METRIC_PHASE))
        .containsEntry("shop|web||error-rate|Running", 1.0)
        .containsEntry("shop|web||error-rate|Failed", 0.0)
        .hasSize(6);
    assertThat(byKey(samples, SluiceGauge.ANALYSIS_RUN_PHASE))
        .containsEntry("shop|web||Running", 1.0)
        .containsEntry("shop|web||Failed", 0.0)
        .hasSize(6);
    assertThat(samples).allSatisfy(s ->
        assertThat(s.labelValues()).noneMatch(v -> v.contains("7d9f8c6b5") || v.contains("8e0a9d7c6")));
  }

  @Test
  void aStepRunAndABackgroundRunWithDifferentMetricsBothShow() {
    var background = rolloutRun("web-7d9f8c6b5-bg", "2025-01-01T10:00:00Z", "Running", """
        - name: latency
          phase: Running
          measurements: [{phase: Successful, value: "120"}]
        """);
    var step = rolloutRun("web-7d9f8c6b5-2-0", "2025-01-01T10:05:00Z", "Successful", """
        - name: error-rate
          phase: Successful
          measurements: [{phase: Successful, value: "[0.01]"}]
        """);

    List<GaugeSample> samples = AnalysisRunSamples.of(List.of(background, step));

    assertThat(byKey(samples, SluiceGauge.ANALYSIS_METRIC_VALUE))
        .containsOnly(Map.entry("shop|web||latency", 120.0), Map.entry("shop|web||error-rate", 0.01));
  }

  @Test
  void aStandaloneRunIsLabelledByItsOwnNameAndAMeasurementWithoutANumberShowsNoValue() {
    var run = Resources.analysisRun("""
        metadata: {namespace: shop, name: smoke-test, creationTimestamp: "2025-01-01T10:00:00Z"}
        spec: {metrics: []}
        status:
          metricResults:
          - name: homepage
            measurements: [{phase: Successful, value: '{"ok":true}'}]
        """);

    List<GaugeSample> samples = AnalysisRunSamples.of(List.of(run));

    assertThat(byKey(samples, SluiceGauge.ANALYSIS_RUN_PHASE)).containsEntry("shop||smoke-test|Pending", 1.0);
    assertThat(byKey(samples, SluiceGauge.ANALYSIS_METRIC_PHASE)).containsEntry("shop||smoke-test|homepage|Pending", 1.0);
    assertThat(byKey(samples, SluiceGauge.ANALYSIS_METRIC_VALUE)).isEmpty();
  }

  @Test
  void noRunsNoSamples() {
    assertThat(AnalysisRunSamples.of(List.of())).isEmpty();
  }
}
