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
 */
public record Observed(
    Rollout rollout,
    String desiredHash,
    List<ObservedReplicaSet> replicaSets,
    List<ObservedPod> pods,
    Map<String, ObservedService> services) {

  public record ObservedReplicaSet(
      String name,
      String podTemplateHash,
      long revision,
      int specReplicas,
      int replicas,
      int readyReplicas,
      int availableReplicas,
      Instant created) {}

  public record ObservedPod(String name, String podTemplateHash, Instant created, boolean ready, boolean terminating) {}

  /** @param selector the service's current spec.selector */
  public record ObservedService(String name, Map<String, String> selector) {}

  public Optional<ObservedReplicaSet> replicaSet(String hash) {
    return replicaSets.stream().filter(rs -> rs.podTemplateHash().equals(hash)).findFirst();
  }
}
