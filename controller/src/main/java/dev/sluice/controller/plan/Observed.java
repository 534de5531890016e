package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile knows about a rollout, read from the informer caches before planning.
 * Immutable; the planner sees nothing else.
 *
 * @param rollout the Rollout as stored (metadata.generation, spec, status); never modified
 * @param desiredHash pod-template-hash of the rollout's current spec.template
 * @param replicaSets the ReplicaSets this rollout owns
 * @param pods the pods of those ReplicaSets (for restartAt)
 * @param services services named by canaryService/stableService, by name; absent when missing
 * @param traffic what the traffic router reported; empty when the rollout has no trafficRouting
 */
public record Observed(
    Rollout rollout,
    String desiredHash,
    List<ObservedReplicaSet> replicaSets,
    List<ObservedPod> pods,
    Map<String, ObservedService> services,
    Optional<TrafficObservation> traffic) {

  public Observed {
    traffic = traffic == null ? Optional.empty() : traffic;
  }

  /** A rollout without a traffic router. */
  public Observed(Rollout rollout, String desiredHash, List<ObservedReplicaSet> replicaSets, List<ObservedPod> pods,
      Map<String, ObservedService> services) {
    this(rollout, desiredHash, replicaSets, pods, services, Optional.empty());
  }

  /** The same observation with the router's report replaced (a write to a route object failed). */
  public Observed withTraffic(TrafficObservation report) {
    return new Observed(rollout, desiredHash, replicaSets, pods, services, Optional.of(report));
  }

  /**
   * @param scaleDownDeadline when an old stable kept after a routed promotion may be scaled down
   *     (its {@code sluice.dev/scale-down-deadline} annotation); null when it has none
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
      Instant scaleDownDeadline) {

    public ObservedReplicaSet(String name, String podTemplateHash, long revision, int specReplicas, int replicas,
        int readyReplicas, int availableReplicas, Instant created) {
      this(name, podTemplateHash, revision, specReplicas, replicas, readyReplicas, availableReplicas, created, null);
    }
  }

  public record ObservedPod(String name, String podTemplateHash, Instant created, boolean ready, boolean terminating) {}

  /** @param selector the service's current spec.selector */
  public record ObservedService(String name, Map<String, String> selector) {}

  public Optional<ObservedReplicaSet> replicaSet(String hash) {
    return replicaSets.stream().filter(rs -> rs.podTemplateHash().equals(hash)).findFirst();
  }
}
