package dev.sluice.controller.plan;

import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What one planning pass reads: the observed world, the resolved spec and the time. Read-only. */
public record Context(Observed observed, RolloutSettings settings, Steps steps, Instant now) {

  static Context of(Observed observed, RolloutSettings settings, Instant now) {
    return new Context(observed, settings, new Steps(settings.steps()), now);
  }

  String rolloutName() {
    return observed.rollout().getMetadata().getName();
  }

  public String desiredHash() {
    return observed.desiredHash();
  }

  public int replicas() {
    return settings.replicas();
  }

  public Optional<ObservedReplicaSet> replicaSet(String hash) {
    return hash == null ? Optional.empty() : observed.replicaSet(hash);
  }

  public int specReplicas(String hash) {
    return replicaSet(hash).map(ObservedReplicaSet::specReplicas).orElse(0);
  }

  /** The pods a ReplicaSet has (its status.replicas), ready or not. */
  public int pods(String hash) {
    return replicaSet(hash).map(ObservedReplicaSet::replicas).orElse(0);
  }

  public int available(String hash) {
    return replicaSet(hash).map(ObservedReplicaSet::availableReplicas).orElse(0);
  }

  /** ReplicaSets that are neither {@code stableHash} nor the desired one, oldest revision first. */
  public List<ObservedReplicaSet> others(String stableHash) {
    return observed.replicaSets().stream()
        .filter(rs -> !rs.podTemplateHash().equals(desiredHash()) && !Objects.equals(rs.podTemplateHash(), stableHash))
        .sorted(Comparator.comparingLong(ObservedReplicaSet::revision)
            .thenComparing(ObservedReplicaSet::created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ObservedReplicaSet::name))
        .toList();
  }

  long maxRevision() {
    return observed.replicaSets().stream().mapToLong(ObservedReplicaSet::revision).max().orElse(0);
  }

  /** The revision the desired ReplicaSet has, or gets when it is created or re-stamped. */
  public long desiredRevision() {
    return replicaSet(desiredHash())
        .filter(rs -> rs.revision() >= maxRevision())
        .map(ObservedReplicaSet::revision)
        .orElse(maxRevision() + 1);
  }

  /** An existing ReplicaSet's name, else {@code <rollout-name>-<hash>}, as a Deployment names its ReplicaSets. */
  public String replicaSetName(String hash) {
    return replicaSet(hash).map(ObservedReplicaSet::name).orElse(rolloutName() + "-" + hash);
  }
}
