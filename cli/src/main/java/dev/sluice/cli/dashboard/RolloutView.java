package dev.sluice.cli.dashboard;

import java.util.List;

/**
 * What the rollout page shows, as sent to the browser (JSON). Timestamps are RFC 3339 text as the
 * API server wrote them; the page turns them into ages, so that a view changes only when the cluster does.
 *
 * @param phase the controller's phase, or "Unknown" before it wrote one
 * @param paused waiting for a person (pause step, user pause or inconclusive analysis)
 * @param pauseReasons status.pauseConditions reasons, plus "PausedByUser" for spec.paused
 * @param stale the controller has not yet seen the latest spec (an update just now)
 * @param currentStepIndex status.currentStepIndex; equal to the number of steps once all are done
 * @param weights canary only: the traffic weights
 * @param blueGreen blue-green only (else null): the Services, what each selects, the promotion and its runs
 */
public record RolloutView(
    String namespace,
    String name,
    String phase,
    String message,
    boolean aborted,
    boolean paused,
    List<String> pauseReasons,
    boolean promotingFully,
    boolean stale,
    String strategy,
    List<Step> steps,
    Integer currentStepIndex,
    Weights weights,
    BlueGreen blueGreen,
    Replicas replicas,
    List<ReplicaSet> replicaSets,
    List<AnalysisRun> analysisRuns) {

  /** @param state "done", "current" or "pending" */
  public record Step(int index, String text, String state) {}

  /**
   * The canary's and stable's share of traffic as the controller last set it, and the weight the
   * steps so far ask for.
   */
  public record Weights(Integer canary, String canaryHash, Integer stable, String stableHash, Integer setWeight) {}

  /**
   * A blue-green rollout's Services and promotion.
   *
   * @param promotion "manual", "automatic" or "automatic after 60s"
   * @param prePromotion the templates of prePromotionAnalysis (null without one) and the current run
   */
  public record BlueGreen(ServiceTarget active, ServiceTarget preview, String promotion, Analysis prePromotion,
      Analysis postPromotion) {}

  /**
   * A Service and the pods it selects: the pod-template hash pinned in its selector (null until the
   * controller pins it) and the pods of the ReplicaSet with that hash.
   */
  public record ServiceTarget(String service, String hash, int ready, int desired, int available) {}

  /** @param run the AnalysisRun of the current update (null before it starts), with its phase */
  public record Analysis(List<String> templates, String run, String phase, String message) {}

  public record Replicas(int desired, int current, int updated, int ready, int available) {}

  /** @param roles "stable", "canary" or "old"; for blue-green any of "stable", "active", "preview", or "old" */
  public record ReplicaSet(String name, Integer revision, String hash, List<String> roles, int desired, int current,
      int ready, int available, List<String> images, String created, List<Pod> pods) {}

  /** @param status what kubectl would print: Running, Pending, Terminating, CrashLoopBackOff ... */
  public record Pod(String name, String status, boolean ready, int restarts, String created) {}

  public record AnalysisRun(String name, String phase, String message, String created, List<Metric> metrics) {}

  public record Metric(String name, String phase, boolean dryRun, int count, int successful, int failed,
      int inconclusive, int error, String message, List<Measurement> measurements) {}

  /** @param number the value as a number for the chart, or null when it is not one (see {@link MeasurementValues}) */
  public record Measurement(String phase, String value, Double number, String startedAt, String finishedAt, String message) {}
}
