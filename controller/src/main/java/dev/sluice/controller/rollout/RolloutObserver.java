package dev.sluice.controller.rollout;

import dev.sluice.api.Ownership;
import dev.sluice.api.SluiceLabels;
import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.controller.plan.Action.SetScaleDownDeadline;
import dev.sluice.controller.plan.Action.SetTemplateRole;
import dev.sluice.controller.plan.Observed;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import dev.sluice.controller.plan.Observed.ObservedDeployment;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun.MetricOutcome;
import dev.sluice.controller.plan.Observed.ObservedTemplates;
import dev.sluice.controller.plan.Observed.ObservedPod;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import dev.sluice.controller.plan.Observed.ObservedService;
import dev.sluice.controller.plan.Observed.ObservedTemplate;
import dev.sluice.controller.plan.TrafficObservation;
import dev.sluice.traffic.RouterContext;
import dev.sluice.traffic.TrafficRouter;
import dev.sluice.traffic.TrafficRoutingException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** Reads what a reconcile needs into one immutable {@link Observed}. No writes. */
public final class RolloutObserver {
  private final KubernetesClient client;
  private final BiFunction<String, String, Optional<Service>> services;

  /** @param services a Service by namespace and name, from the informer cache */
  public RolloutObserver(KubernetesClient client, BiFunction<String, String, Optional<Service>> services) {
    this.client = client;
    this.services = services;
  }

  /**
   * @param ownedReplicaSets the rollout's ReplicaSets from the informer cache
   * @param weight the rollout's traffic router, asked for the weight in place (once per reconcile, see {@link WeightReading})
   * @param ownedRuns the rollout's AnalysisRuns from the informer cache
   * @param templates the analysis templates its spec refers to, from the informer caches
   * @param deployment the Deployment its spec.workloadRef names, from the informer cache
   */
  public Observed observe(Rollout rollout, Set<ReplicaSet> ownedReplicaSets, Optional<WeightReading> weight,
      Set<AnalysisRun> ownedRuns, ObservedTemplates templates, Optional<Deployment> deployment) {
    PodTemplateSpec template = podTemplate(rollout, deployment);
    String desiredHash = template == null ? null : PodTemplateHash.of(template);
    List<ObservedReplicaSet> replicaSets = ownedReplicaSets.stream()
        .filter(rs -> Ownership.controlledBy(rs, rollout))
        .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
        .map(RolloutObserver::toObserved)
        .sorted(Comparator.comparing(ObservedReplicaSet::name))
        .toList();
    List<ObservedAnalysisRun> runs = ownedRuns.stream()
        .filter(run -> Ownership.controlledBy(run, rollout))
        .map(RolloutObserver::toObserved)
        .sorted(Comparator.comparing(ObservedAnalysisRun::name))
        .toList();
    return new Observed(rollout, desiredHash, replicaSets, podsIfNeeded(rollout, ownedReplicaSets, replicaSets), services(rollout),
        weight.map(w -> w.read(rollout, desiredHash)), runs, templates,
        rollout.getSpec() == null || rollout.getSpec().workloadRef() == null ? Optional.empty()
            : deployment.map(RolloutObserver::toObserved));
  }

  /**
   * The pod template the rollout runs: the one spec.workloadRef's Deployment has, else
   * spec.template; null when there is none (the planner then reports why).
   */
  public static PodTemplateSpec podTemplate(Rollout rollout, Optional<Deployment> deployment) {
    var spec = rollout.getSpec();
    if (spec == null) {
      return null;
    }
    if (spec.workloadRef() != null) {
      return deployment.map(d -> d.getSpec() == null ? null : d.getSpec().getTemplate()).orElse(null);
    }
    return spec.template();
  }

  private static ObservedDeployment toObserved(Deployment deployment) {
    var template = deployment.getSpec() == null ? null : deployment.getSpec().getTemplate();
    Integer replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
    return new ObservedDeployment(deployment.getMetadata().getName(),
        template == null || template.getMetadata() == null ? null : template.getMetadata().getLabels(),
        replicas == null ? 1 : replicas);
  }

  private static ObservedAnalysisRun toObserved(AnalysisRun run) {
    var meta = run.getMetadata();
    var status = run.getStatus();
    List<MetricOutcome> metrics = status == null || status.metricResults() == null ? List.of()
        : status.metricResults().stream().map(m -> new MetricOutcome(m.name(), m.phase(), m.message())).toList();
    return new ObservedAnalysisRun(
        meta.getName(),
        meta.getLabels(),
        status == null ? null : status.phase(),
        status == null ? null : status.message(),
        metrics,
        run.getSpec() != null && Boolean.TRUE.equals(run.getSpec().terminate()),
        meta.getDeletionTimestamp() != null,
        meta.getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(meta.getCreationTimestamp()));
  }

  /**
   * The weight in place, read from the route objects once per reconcile: the passes after the first
   * ({@link Replanning}) follow plans that only created or scaled ReplicaSets, which leave the route
   * objects as they were, so they reuse the first pass's reading (a live read of each route object)
   * unless the stable ReplicaSet it was read for has changed. Not shared between reconciles.
   */
  public static final class WeightReading {
    private final TrafficRouter router;
    private String stable;
    private TrafficObservation last;

    public WeightReading(TrafficRouter router) {
      this.router = router;
    }

    /** The weight in place, or why the route objects cannot be read: a problem to show, not a crash. */
    TrafficObservation read(Rollout rollout, String desiredHash) {
      var status = rollout.getStatus();
      String stableNow = status == null || status.stableRS() == null ? desiredHash : status.stableRS();
      if (last == null || !Objects.equals(stable, stableNow)) {
        stable = stableNow;
        last = readNow(rollout, stableNow);
      }
      return last;
    }

    private TrafficObservation readNow(Rollout rollout, String stable) {
      try {
        return TrafficObservation.inPlace(router.currentWeight(RouterContext.of(rollout, stable, stable)));
      } catch (TrafficRoutingException e) {
        return TrafficObservation.failed(e.reason().conditionReason(), e.getMessage(), e.retryable());
      }
    }
  }

  /**
   * Whether a ReplicaSet's change shows in what a plan reads of it (its owner, its deletion, what
   * {@link ObservedReplicaSet} holds): the ReplicaSet controller's status updates that only move
   * observedGeneration or fullyLabeledReplicas wake no rollout.
   */
  public static boolean plannerSees(ReplicaSet old, ReplicaSet now) {
    if (!readable(old) || !readable(now)) {
      return true;
    }
    return !Objects.equals(old.getMetadata().getOwnerReferences(), now.getMetadata().getOwnerReferences())
        || !Objects.equals(old.getMetadata().getDeletionTimestamp(), now.getMetadata().getDeletionTimestamp())
        || !toObserved(old).equals(toObserved(now));
  }

  /** Has what {@link #toObserved(ReplicaSet)} reads (a ReplicaSet a rollout created always has). */
  private static boolean readable(ReplicaSet rs) {
    return rs.getMetadata().getLabels() != null && rs.getMetadata().getAnnotations() != null && rs.getSpec() != null;
  }

  private static ObservedReplicaSet toObserved(ReplicaSet rs) {
    var meta = rs.getMetadata();
    var status = rs.getStatus();
    return new ObservedReplicaSet(
        meta.getName(),
        meta.getLabels().getOrDefault(SluiceLabels.POD_TEMPLATE_HASH, ""),
        parseRevision(meta.getAnnotations().get(SluiceLabels.REVISION)),
        orZero(rs.getSpec().getReplicas()),
        status == null ? 0 : orZero(status.getReplicas()),
        status == null ? 0 : orZero(status.getReadyReplicas()),
        status == null ? 0 : orZero(status.getAvailableReplicas()),
        meta.getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(meta.getCreationTimestamp()),
        parseInstant(meta.getAnnotations().get(SetScaleDownDeadline.ANNOTATION)),
        replicaFailure(rs),
        template(rs));
  }

  private static ObservedTemplate template(ReplicaSet rs) {
    var template = rs.getSpec().getTemplate();
    var meta = template == null ? null : template.getMetadata();
    return new ObservedTemplate(
        meta == null ? null : meta.getLabels(),
        meta == null ? null : meta.getAnnotations(),
        RoleAnnotation.read(rs.getMetadata().getAnnotations().get(SetTemplateRole.ANNOTATION)),
        AntiAffinityTemplates.find(template == null || template.getSpec() == null ? null : template.getSpec().getAffinity()));
  }

  /** The message of the ReplicaSet controller's ReplicaFailure condition (FailedCreate, e.g. a quota), if set. */
  private static String replicaFailure(ReplicaSet rs) {
    if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
      return null;
    }
    return rs.getStatus().getConditions().stream()
        .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> (c.getReason() == null ? "" : c.getReason() + ": ") + Objects.requireNonNullElse(c.getMessage(), ""))
        .findFirst().orElse(null);
  }

  private static long parseRevision(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** An annotation someone garbled counts as absent: the old ReplicaSet is then scaled down. */
  private static Instant parseInstant(String value) {
    return Timestamps.tryParse(value).orElse(null);
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  /**
   * Pods are only listed while a restart is due or pod roles are in play (the spec sets role
   * metadata, or a ReplicaSet still carries some): the controller keeps no pod informer. Only pods
   * a ReplicaSet of this rollout controls.
   */
  private List<ObservedPod> podsIfNeeded(Rollout rollout, Set<ReplicaSet> owned, List<ObservedReplicaSet> replicaSets) {
    var spec = rollout.getSpec();
    var status = rollout.getStatus();
    if (spec == null || spec.selector() == null) {
      return List.of();
    }
    boolean restartPending = spec.restartAt() != null && (status == null || !spec.restartAt().equals(status.restartedAt()));
    boolean roles = setsRoleMetadata(spec) || replicaSets.stream().anyMatch(rs -> !rs.template().role().isEmpty());
    if (!restartPending && !roles) {
      return List.of();
    }
    List<ReplicaSet> ours = owned.stream().filter(rs -> Ownership.controlledBy(rs, rollout)).toList();
    return client.pods().inNamespace(rollout.getMetadata().getNamespace())
        .withLabelSelector(spec.selector()).withLabel(SluiceLabels.POD_TEMPLATE_HASH)
        .list().getItems().stream()
        .filter(p -> ours.stream().anyMatch(rs -> Ownership.controlledBy(p, rs)))
        .map(RolloutObserver::toObserved)
        .sorted(Comparator.comparing(ObservedPod::created).thenComparing(ObservedPod::name))
        .toList();
  }

  private static boolean setsRoleMetadata(RolloutSpec spec) {
    var strategy = spec.strategy();
    if (strategy == null) {
      return false;
    }
    if (strategy.canary() != null) {
      return strategy.canary().canaryMetadata() != null || strategy.canary().stableMetadata() != null;
    }
    return strategy.blueGreen() != null
        && (strategy.blueGreen().previewMetadata() != null || strategy.blueGreen().activeMetadata() != null);
  }

  private static ObservedPod toObserved(Pod pod) {
    var meta = pod.getMetadata();
    boolean ready = pod.getStatus() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return new ObservedPod(meta.getName(), meta.getLabels().get(SluiceLabels.POD_TEMPLATE_HASH),
        meta.getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(meta.getCreationTimestamp()),
        ready, meta.getDeletionTimestamp() != null, meta.getLabels(), meta.getAnnotations());
  }

  private Map<String, ObservedService> services(Rollout rollout) {
    Map<String, ObservedService> found = new LinkedHashMap<>();
    ReferencedServices.pinned(rollout).forEach(name -> services.apply(rollout.getMetadata().getNamespace(), name)
        .ifPresent(svc -> {
          var selector = svc.getSpec().getSelector();
          found.put(name, new ObservedService(name, selector == null ? Map.of() : Map.copyOf(selector)));
        }));
    return found;
  }
}
