package dev.sluice.controller.plan;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutAnalysis.TemplateRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile knows about a rollout, read before planning: the Rollout, its
 * ReplicaSets, AnalysisRuns and templates from the informer caches; the Services it pins, its pods
 * (only while a restart is due) and the router's weight read live from the API server and the
 * route objects. Immutable; the planner sees nothing else.
 *
 * @param rollout the Rollout as stored (metadata.generation, spec, status); never modified
 * @param desiredHash pod-template-hash of the rollout's current pod template (spec.template, or the
 *     template of the Deployment spec.workloadRef names); null when there is none
 * @param replicaSets the ReplicaSets this rollout owns
 * @param pods the pods of those ReplicaSets, listed only while a restartAt is due or the rollout gives
 *     its pods role metadata (or its ReplicaSets still carry some)
 * @param services the Services the strategy pins (canary/stable, active/preview), by name; absent when missing
 * @param traffic what the traffic router reported; empty when the rollout has no trafficRouting
 * @param analysisRuns the AnalysisRuns this rollout owns
 * @param templates the analysis templates the rollout's spec refers to, those that exist
 * @param deployment the Deployment spec.workloadRef names, from the informer cache; empty when it has
 *     none or the Deployment does not exist
 */
public record Observed(
    Rollout rollout,
    String desiredHash,
    List<ObservedReplicaSet> replicaSets,
    List<ObservedPod> pods,
    Map<String, ObservedService> services,
    Optional<TrafficObservation> traffic,
    List<ObservedAnalysisRun> analysisRuns,
    ObservedTemplates templates,
    Optional<ObservedDeployment> deployment) {

  public Observed {
    traffic = traffic == null ? Optional.empty() : traffic;
    analysisRuns = analysisRuns == null ? List.of() : analysisRuns;
    templates = templates == null ? ObservedTemplates.NONE : templates;
    deployment = deployment == null ? Optional.empty() : deployment;
  }

  /** A rollout with its own template (no workloadRef). */
  public Observed(Rollout rollout, String desiredHash, List<ObservedReplicaSet> replicaSets, List<ObservedPod> pods,
      Map<String, ObservedService> services, Optional<TrafficObservation> traffic, List<ObservedAnalysisRun> analysisRuns,
      ObservedTemplates templates) {
    this(rollout, desiredHash, replicaSets, pods, services, traffic, analysisRuns, templates, Optional.empty());
  }

  /** A rollout without analysis. */
  public Observed(Rollout rollout, String desiredHash, List<ObservedReplicaSet> replicaSets, List<ObservedPod> pods,
      Map<String, ObservedService> services, Optional<TrafficObservation> traffic) {
    this(rollout, desiredHash, replicaSets, pods, services, traffic, List.of(), ObservedTemplates.NONE);
  }

  /** A rollout without a traffic router or analysis. */
  public Observed(Rollout rollout, String desiredHash, List<ObservedReplicaSet> replicaSets, List<ObservedPod> pods,
      Map<String, ObservedService> services) {
    this(rollout, desiredHash, replicaSets, pods, services, Optional.empty());
  }

  /** The same observation with the router's report replaced (a write to a route object failed). */
  public Observed withTraffic(TrafficObservation report) {
    return new Observed(rollout, desiredHash, replicaSets, pods, services, Optional.of(report), analysisRuns, templates,
        deployment);
  }

  /** The same observation of a rollout whose status is {@code rolloutWithStatus}'s (for replaying a plan). */
  public Observed withRollout(Rollout rolloutWithStatus) {
    return new Observed(rolloutWithStatus, desiredHash, replicaSets, pods, services, traffic, analysisRuns, templates,
        deployment);
  }

  /**
   * @param scaleDownDeadline when an old stable kept after a routed promotion may be scaled down
   *     (its {@code sluice.dev/scale-down-deadline} annotation); null when it has none
   * @param replicaFailure the message of the ReplicaSet's own ReplicaFailure condition (the
   *     ReplicaSet controller could not create or delete pods, e.g. a quota); null when it has none
   * @param template what its pod template says about pod roles
   */
  public record ObservedReplicaSet(
      String name,
      String podTemplateHash,
      long revision,
      int specReplicas,
      int replicas,
      int readyReplicas,
      int availableReplicas,
      Instant created,
      Instant scaleDownDeadline,
      String replicaFailure,
      ObservedTemplate template) {

    public ObservedReplicaSet {
      template = template == null ? ObservedTemplate.NONE : template;
    }

    public ObservedReplicaSet(String name, String podTemplateHash, long revision, int specReplicas, int replicas,
        int readyReplicas, int availableReplicas, Instant created) {
      this(name, podTemplateHash, revision, specReplicas, replicas, readyReplicas, availableReplicas, created, null, null, null);
    }

    public ObservedReplicaSet(String name, String podTemplateHash, long revision, int specReplicas, int replicas,
        int readyReplicas, int availableReplicas, Instant created, Instant scaleDownDeadline) {
      this(name, podTemplateHash, revision, specReplicas, replicas, readyReplicas, availableReplicas, created,
          scaleDownDeadline, null, null);
    }

    public ObservedReplicaSet(String name, String podTemplateHash, long revision, int specReplicas, int replicas,
        int readyReplicas, int availableReplicas, Instant created, Instant scaleDownDeadline, String replicaFailure) {
      this(name, podTemplateHash, revision, specReplicas, replicas, readyReplicas, availableReplicas, created,
          scaleDownDeadline, replicaFailure, null);
    }

    /** The same ReplicaSet with {@code template} as its pod template. */
    public ObservedReplicaSet withTemplate(ObservedTemplate template) {
      return new ObservedReplicaSet(name, podTemplateHash, revision, specReplicas, replicas, readyReplicas, availableReplicas,
          created, scaleDownDeadline, replicaFailure, template);
    }
  }

  /**
   * A ReplicaSet's pod template as far as pod roles go.
   *
   * @param labels spec.template.metadata.labels
   * @param annotations spec.template.metadata.annotations
   * @param role the role metadata Sluice put in it (recorded on the ReplicaSet)
   * @param antiAffinity the anti-affinity term Sluice injected into it
   */
  public record ObservedTemplate(Map<String, String> labels, Map<String, String> annotations, RoleMetadata role,
      Optional<AntiAffinityTerm> antiAffinity) {
    public static final ObservedTemplate NONE = new ObservedTemplate(Map.of(), Map.of(), RoleMetadata.NONE, Optional.empty());

    public ObservedTemplate {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
      role = role == null ? RoleMetadata.NONE : role;
      antiAffinity = antiAffinity == null ? Optional.empty() : antiAffinity;
    }
  }

  /** @param labels its labels; @param annotations its annotations (both only read for role metadata) */
  public record ObservedPod(String name, String podTemplateHash, Instant created, boolean ready, boolean terminating,
      Map<String, String> labels, Map<String, String> annotations) {

    public ObservedPod {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public ObservedPod(String name, String podTemplateHash, Instant created, boolean ready, boolean terminating) {
      this(name, podTemplateHash, created, ready, terminating, Map.of(), Map.of());
    }
  }

  /**
   * The Deployment a rollout's spec.workloadRef names, as far as the planner cares (its pod template
   * is hashed into {@link Observed#desiredHash} and used by the applier).
   *
   * @param templateLabels its spec.template.metadata.labels
   * @param specReplicas its spec.replicas (a Deployment without one has 1)
   */
  public record ObservedDeployment(String name, Map<String, String> templateLabels, int specReplicas) {
    public ObservedDeployment {
      templateLabels = templateLabels == null ? Map.of() : Map.copyOf(templateLabels);
    }
  }

  /** @param selector the service's current spec.selector */
  public record ObservedService(String name, Map<String, String> selector) {}

  public Optional<ObservedReplicaSet> replicaSet(String hash) {
    return replicaSets.stream().filter(rs -> rs.podTemplateHash().equals(hash)).findFirst();
  }

  /**
   * An AnalysisRun the rollout owns, as far as the planner cares.
   *
   * @param labels the run's labels ({@link RolloutAnalysisLabels}: rollout, pod-template-hash, type, step index)
   * @param phase status.phase; null before the run reconciler wrote any
   * @param message status.message: which metric decided the phase and why (secrets already masked)
   * @param metrics each metric's phase and message, to name a failing metric when the run has no message
   * @param terminate spec.terminate is set: the rollout no longer waits on it
   * @param deleting it is being deleted
   */
  public record ObservedAnalysisRun(
      String name,
      Map<String, String> labels,
      String phase,
      String message,
      List<MetricOutcome> metrics,
      boolean terminate,
      boolean deleting,
      Instant created) {

    public ObservedAnalysisRun {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    public record MetricOutcome(String name, String phase, String message) {}

    public AnalysisPhase analysisPhase() {
      return AnalysisPhase.parse(phase);
    }

    String podTemplateHash() {
      return labels.get(RolloutAnalysisLabels.POD_TEMPLATE_HASH);
    }

    boolean background() {
      return RolloutAnalysisLabels.BACKGROUND.equals(labels.get(RolloutAnalysisLabels.ANALYSIS_TYPE));
    }

    /** The step index label of a step run; empty for a background run or a garbled label. */
    Optional<Integer> stepIndex() {
      if (!RolloutAnalysisLabels.STEP.equals(labels.get(RolloutAnalysisLabels.ANALYSIS_TYPE))) {
        return Optional.empty();
      }
      try {
        return Optional.of(Integer.parseInt(labels.getOrDefault(RolloutAnalysisLabels.STEP_INDEX, "")));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Analysis templates by name: {@code namespaced} from the rollout's namespace, {@code cluster}
   * the ClusterAnalysisTemplates. Only those that exist.
   */
  public record ObservedTemplates(Map<String, AnalysisTemplateSpec> namespaced, Map<String, AnalysisTemplateSpec> cluster) {
    public static final ObservedTemplates NONE = new ObservedTemplates(Map.of(), Map.of());

    public ObservedTemplates {
      namespaced = namespaced == null ? Map.of() : Map.copyOf(namespaced);
      cluster = cluster == null ? Map.of() : Map.copyOf(cluster);
    }

    Optional<AnalysisTemplateSpec> find(TemplateRef ref) {
      return Optional.ofNullable((Boolean.TRUE.equals(ref.clusterScope()) ? cluster : namespaced).get(ref.templateName()));
    }
  }
}
