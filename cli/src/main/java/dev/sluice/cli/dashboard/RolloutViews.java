package dev.sluice.cli.dashboard;

import dev.sluice.api.Ownership;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import dev.sluice.cli.render.JudgeText;
import dev.sluice.cli.render.ReplicaSetRoles;
import dev.sluice.cli.render.StepText;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Builds a {@link RolloutView} from a rollout and the objects that belong to it: a pure function. */
public final class RolloutViews {
  private RolloutViews() {}

  /**
   * @param replicaSets the rollout's ReplicaSets
   * @param pods pods of the namespace; those owned by one of the ReplicaSets are shown under it
   * @param runs the rollout's AnalysisRuns
   */
  public static RolloutView of(Rollout rollout, List<ReplicaSet> replicaSets, List<Pod> pods,
      List<dev.sluice.api.v1alpha1.AnalysisRun> runs) {
    RolloutSpec spec = rollout.getSpec();
    RolloutStatus status = rollout.getStatus();
    List<CanaryStep> steps = RolloutFacts.steps(rollout);
    Integer index = status == null ? null : status.currentStepIndex();
    return new RolloutView(
        rollout.getMetadata().getNamespace(),
        rollout.getMetadata().getName(),
        RolloutFacts.phase(rollout),
        status == null ? null : status.message(),
        RolloutFacts.aborted(rollout),
        RolloutFacts.paused(rollout),
        pauseReasons(rollout),
        status != null && Boolean.TRUE.equals(status.promoteFull()),
        stale(rollout),
        strategy(spec),
        steps(steps, index),
        index,
        weights(status, steps, index),
        blueGreen(spec, status, replicaSets),
        replicas(spec, status),
        replicaSets(replicaSets, pods, spec, status),
        analysisRuns(runs));
  }

  private static List<String> pauseReasons(Rollout rollout) {
    List<String> reasons = new ArrayList<>();
    RolloutStatus status = rollout.getStatus();
    if (status != null && status.pauseConditions() != null) {
      status.pauseConditions().stream().filter(Objects::nonNull).map(RolloutStatus.PauseCondition::reason)
          .filter(Objects::nonNull).forEach(reasons::add);
    }
    if (rollout.getSpec() != null && Boolean.TRUE.equals(rollout.getSpec().paused())) reasons.add("PausedByUser");
    return reasons;
  }

  private static boolean stale(Rollout rollout) {
    Long generation = rollout.getMetadata().getGeneration();
    RolloutStatus status = rollout.getStatus();
    return generation != null && (status == null || status.observedGeneration() == null || status.observedGeneration() < generation);
  }

  private static String strategy(RolloutSpec spec) {
    if (spec == null || spec.strategy() == null) return null;
    if (spec.strategy().canary() != null) return "Canary";
    if (spec.strategy().blueGreen() != null) return "BlueGreen";
    return null;
  }

  static List<RolloutView.Step> steps(List<CanaryStep> steps, Integer index) {
    List<RolloutView.Step> views = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      String state = index == null ? "pending" : i < index ? "done" : i == index ? "current" : "pending";
      views.add(new RolloutView.Step(i, StepText.describe(steps.get(i)), state));
    }
    return views;
  }

  private static RolloutView.Weights weights(RolloutStatus status, List<CanaryStep> steps, Integer index) {
    RolloutStatus.TrafficWeights weights = RolloutFacts.weights(status);
    RolloutStatus.WeightDestination canary = weights == null ? null : weights.canary();
    RolloutStatus.WeightDestination stable = weights == null ? null : weights.stable();
    return new RolloutView.Weights(
        canary == null ? null : canary.weight(), canary == null ? null : canary.podTemplateHash(),
        stable == null ? null : stable.weight(), stable == null ? null : stable.podTemplateHash(),
        setWeight(steps, index));
  }

  // the weight the steps so far asked for (Argo's "SetWeight"): the last setWeight up to the current step
  private static Integer setWeight(List<CanaryStep> steps, Integer index) {
    if (steps.isEmpty() || index == null) return null;
    if (index >= steps.size()) return 100;
    int weight = 0;
    for (int i = 0; i <= index; i++) {
      if (steps.get(i) != null && steps.get(i).setWeight() != null) weight = steps.get(i).setWeight();
    }
    return weight;
  }

  private static RolloutView.BlueGreen blueGreen(RolloutSpec spec, RolloutStatus status, List<ReplicaSet> replicaSets) {
    BlueGreenStrategy strategy = spec == null || spec.strategy() == null ? null : spec.strategy().blueGreen();
    if (strategy == null) return null;
    RolloutStatus.BlueGreenStatus selectors = status == null ? null : status.blueGreen();
    String promotion = Boolean.FALSE.equals(strategy.autoPromotionEnabled()) ? "manual"
        : strategy.autoPromotionSeconds() == null ? "automatic" : "automatic after " + strategy.autoPromotionSeconds() + "s";
    return new RolloutView.BlueGreen(
        target(strategy.activeService(), selectors == null ? null : selectors.activeSelector(), replicaSets),
        strategy.previewService() == null ? null
            : target(strategy.previewService(), selectors == null ? null : selectors.previewSelector(), replicaSets),
        promotion,
        analysis(strategy.prePromotionAnalysis(), selectors == null ? null : selectors.prePromotionAnalysisRunStatus()),
        analysis(strategy.postPromotionAnalysis(), selectors == null ? null : selectors.postPromotionAnalysisRunStatus()));
  }

  private static RolloutView.ServiceTarget target(String service, String hash, List<ReplicaSet> replicaSets) {
    ReplicaSet selected = hash == null ? null
        : replicaSets.stream().filter(rs -> hash.equals(RolloutFacts.podTemplateHash(rs))).findFirst().orElse(null);
    if (selected == null) return new RolloutView.ServiceTarget(service, hash, 0, 0, 0);
    var rsStatus = selected.getStatus();
    return new RolloutView.ServiceTarget(service, hash,
        rsStatus == null ? 0 : RolloutFacts.orZero(rsStatus.getReadyReplicas()),
        selected.getSpec() == null || selected.getSpec().getReplicas() == null ? 1 : selected.getSpec().getReplicas(),
        rsStatus == null ? 0 : RolloutFacts.orZero(rsStatus.getAvailableReplicas()));
  }

  private static RolloutView.Analysis analysis(RolloutAnalysis analysis, RolloutStatus.AnalysisRunReference run) {
    if (analysis == null) return null;
    List<String> templates = analysis.templates() == null ? List.of()
        : analysis.templates().stream().filter(Objects::nonNull).map(RolloutAnalysis.TemplateRef::templateName).collect(Collectors.toList());
    return run == null || run.name() == null ? new RolloutView.Analysis(templates, null, null, null)
        : new RolloutView.Analysis(templates, run.name(), run.status() == null ? "Pending" : run.status(), run.message());
  }

  private static RolloutView.Replicas replicas(RolloutSpec spec, RolloutStatus status) {
    int desired = spec == null || spec.replicas() == null ? 1 : spec.replicas();
    if (status == null) return new RolloutView.Replicas(desired, 0, 0, 0, 0);
    return new RolloutView.Replicas(desired, RolloutFacts.orZero(status.replicas()), RolloutFacts.orZero(status.updatedReplicas()),
        RolloutFacts.orZero(status.readyReplicas()), RolloutFacts.orZero(status.availableReplicas()));
  }

  private static List<RolloutView.ReplicaSet> replicaSets(List<ReplicaSet> replicaSets, List<Pod> pods, RolloutSpec spec,
      RolloutStatus status) {
    return replicaSets.stream()
        .sorted(Comparator.comparing((ReplicaSet rs) -> RolloutFacts.revision(rs), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(rs -> rs.getMetadata().getName()))
        .map(rs -> replicaSet(rs, pods, spec, status))
        .collect(Collectors.toList());
  }

  private static RolloutView.ReplicaSet replicaSet(ReplicaSet rs, List<Pod> pods, RolloutSpec spec, RolloutStatus status) {
    String hash = RolloutFacts.podTemplateHash(rs);
    List<String> images = rs.getSpec() == null || rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getSpec() == null
        ? List.of()
        : rs.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage).collect(Collectors.toList());
    var rsStatus = rs.getStatus();
    return new RolloutView.ReplicaSet(
        rs.getMetadata().getName(),
        RolloutFacts.revision(rs),
        hash,
        ReplicaSetRoles.of(hash, spec, status),
        rs.getSpec() == null || rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas(),
        rsStatus == null ? 0 : RolloutFacts.orZero(rsStatus.getReplicas()),
        rsStatus == null ? 0 : RolloutFacts.orZero(rsStatus.getReadyReplicas()),
        rsStatus == null ? 0 : RolloutFacts.orZero(rsStatus.getAvailableReplicas()),
        images,
        rs.getMetadata().getCreationTimestamp(),
        pods.stream().filter(p -> Ownership.ownedBy(p, rs)).sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .map(RolloutViews::pod).collect(Collectors.toList()));
  }


  static RolloutView.Pod pod(Pod pod) {
    var status = pod.getStatus();
    List<ContainerStatus> containers = status == null || status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
    boolean ready = status != null && status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    int restarts = containers.stream().mapToInt(c -> RolloutFacts.orZero(c.getRestartCount())).sum();
    return new RolloutView.Pod(pod.getMetadata().getName(), podStatus(pod, containers), ready, restarts,
        pod.getMetadata().getCreationTimestamp());
  }

  // as kubectl's STATUS column: Terminating, else a waiting container's reason, else the phase
  private static String podStatus(Pod pod, List<ContainerStatus> containers) {
    if (pod.getMetadata().getDeletionTimestamp() != null) return "Terminating";
    for (ContainerStatus c : containers) {
      if (c.getState() != null && c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null) {
        return c.getState().getWaiting().getReason();
      }
    }
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  private static List<RolloutView.AnalysisRun> analysisRuns(List<dev.sluice.api.v1alpha1.AnalysisRun> runs) {
    return runs.stream()
        .sorted(Comparator.comparing((dev.sluice.api.v1alpha1.AnalysisRun r) ->
                Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), "")).reversed()
            .thenComparing(r -> r.getMetadata().getName()))
        .map(RolloutViews::analysisRun)
        .collect(Collectors.toList());
  }

  private static RolloutView.AnalysisRun analysisRun(dev.sluice.api.v1alpha1.AnalysisRun run) {
    AnalysisRunStatus status = run.getStatus();
    List<AnalysisRunStatus.MetricResult> results = status == null || status.metricResults() == null ? List.of() : status.metricResults();
    return new RolloutView.AnalysisRun(run.getMetadata().getName(),
        status == null || status.phase() == null ? "Pending" : status.phase(),
        status == null ? null : status.message(),
        run.getMetadata().getCreationTimestamp(),
        results.stream().filter(Objects::nonNull).map(RolloutViews::metric).collect(Collectors.toList()));
  }

  private static RolloutView.Metric metric(AnalysisRunStatus.MetricResult result) {
    List<AnalysisRunStatus.Measurement> measurements = result.measurements() == null ? List.of() : result.measurements();
    return new RolloutView.Metric(result.name(), result.phase() == null ? "Pending" : result.phase(),
        Boolean.TRUE.equals(result.dryRun()), RolloutFacts.orZero(result.count()), RolloutFacts.orZero(result.successful()),
        RolloutFacts.orZero(result.failed()), RolloutFacts.orZero(result.inconclusive()), RolloutFacts.orZero(result.error()),
        result.message(),
        measurements.stream().filter(Objects::nonNull)
            .map(m -> new RolloutView.Measurement(m.phase(), JudgeText.of(m.value()).orElse(m.value()), MeasurementValues.number(m.value()),
                m.startedAt(), m.finishedAt(), m.message()))
            .collect(Collectors.toList()));
  }
}
