package dev.sluice.controller.metrics;

import java.util.List;

/**
 * The gauges Sluice derives from its Rollouts and AnalysisRuns. Each has a fixed set of label keys
 * (Prometheus wants one set per name), and every label is bounded by the number of rollouts,
 * runs and metrics a person wrote: never a pod name or a pod-template hash.
 */
public enum SluiceGauge {
  ROLLOUT_PHASE("sluice.rollout.phase",
      "1 for the rollout's current phase (Healthy, Progressing, Paused, Degraded), 0 for the others; strategy is canary or blueGreen",
      "namespace", "rollout", "strategy", "phase"),
  ROLLOUT_ABORTED("sluice.rollout.aborted", "1 while the rollout is aborted (status.abort), else 0", "namespace", "rollout"),
  ROLLOUT_CURRENT_STEP("sluice.rollout.current.step.index",
      "status.currentStepIndex: the canary step being worked on; equals the step count once all steps are done", "namespace", "rollout"),
  ROLLOUT_STEPS("sluice.rollout.steps", "number of canary steps in the rollout's spec (0 for blue-green)", "namespace", "rollout"),
  ROLLOUT_CANARY_WEIGHT("sluice.rollout.canary.weight",
      "percent of traffic (or of pods, without a router) on the canary; blue-green: 100 while the active Service selects the "
          + "update's pods, 0 while it selects others (preview, abort)", "namespace", "rollout"),
  ROLLOUT_SPEC_REPLICAS("sluice.rollout.spec.replicas", "desired pods (spec.replicas)", "namespace", "rollout"),
  ROLLOUT_STATUS_REPLICAS("sluice.rollout.status.replicas", "pods of all the rollout's ReplicaSets (status.replicas)", "namespace", "rollout"),
  ROLLOUT_UPDATED_REPLICAS("sluice.rollout.status.replicas.updated", "pods with the current pod template", "namespace", "rollout"),
  ROLLOUT_READY_REPLICAS("sluice.rollout.status.replicas.ready", "ready pods", "namespace", "rollout"),
  ROLLOUT_AVAILABLE_REPLICAS("sluice.rollout.status.replicas.available", "available pods", "namespace", "rollout"),
  ANALYSIS_RUN_PHASE("sluice.analysis.run.phase",
      "1 for the phase of the newest AnalysisRun of a rollout (analysisrun is empty) or of a standalone run (analysisrun is its name), 0 for the others",
      "namespace", "rollout", "analysisrun", "phase"),
  ANALYSIS_METRIC_PHASE("sluice.analysis.metric.phase",
      "1 for the phase of a metric in the newest AnalysisRun that has it, 0 for the other phases",
      "namespace", "rollout", "analysisrun", "metric", "phase"),
  ANALYSIS_METRIC_VALUE("sluice.analysis.metric.value",
      "the last measured value of a metric (the first number of a list result) in the newest AnalysisRun that has it",
      "namespace", "rollout", "analysisrun", "metric");

  private final String meterName;
  private final String help;
  private final List<String> labelKeys;

  SluiceGauge(String meterName, String help, String... labelKeys) {
    this.meterName = meterName;
    this.help = help;
    this.labelKeys = List.of(labelKeys);
  }

  /** The name on /metrics, e.g. {@code sluice_rollout_phase}. */
  public String prometheusName() {
    return meterName.replace('.', '_');
  }

  public String help() {
    return help;
  }

  public List<String> labelKeys() {
    return labelKeys;
  }
}
