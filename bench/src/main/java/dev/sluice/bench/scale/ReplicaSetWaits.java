package dev.sluice.bench.scale;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each Rollout's ReplicaSets waited for their pods, as a watch sees them: a wait runs from a
 * ReplicaSet's spec.replicas seen raised (or it seen created with replicas) to its status.availableReplicas
 * seen at spec.replicas. Available, not ready: a rollout controller moves on when the pods are
 * available (Sluice's step walker and Argo's alike). Works for any controller whose ReplicaSets name
 * their Rollout as owner.
 */
final class ReplicaSetWaits implements ResourceEventHandler<ReplicaSet> {
  private record Tracked(int specReplicas, Long waitingSince) {}

  private final Map<String, Tracked> replicaSets = new HashMap<>();
  private final Map<String, List<UpdateIdeal.Wait>> waits = new HashMap<>();
  /** When a Rollout's ReplicaSet was last seen changing; null: never. */
  private Long lastSeenNanos;

  @Override
  public void onAdd(ReplicaSet rs) {
    record(rs);
  }

  @Override
  public void onUpdate(ReplicaSet old, ReplicaSet rs) {
    record(rs);
  }

  @Override
  public void onDelete(ReplicaSet rs, boolean unknownFinalState) {
    synchronized (this) {
      replicaSets.remove(rs.getMetadata().getName());
      lastSeenNanos = System.nanoTime();
    }
  }

  private void record(ReplicaSet rs) {
    String rollout = rs.getMetadata().getOwnerReferences().stream().filter(o -> "Rollout".equals(o.getKind()))
        .map(OwnerReference::getName).findFirst().orElse(null);
    if (rollout == null) {
      return;
    }
    Integer spec = rs.getSpec().getReplicas();
    Integer available = rs.getStatus() == null ? null : rs.getStatus().getAvailableReplicas();
    observe(rs.getMetadata().getName(), rollout, spec == null ? 1 : spec, available == null ? 0 : available, System.nanoTime());
  }

  /** One state of a ReplicaSet as seen at {@code nanos}. */
  synchronized void observe(String replicaSet, String rollout, int specReplicas, int availableReplicas, long nanos) {
    lastSeenNanos = nanos;
    Tracked before = replicaSets.get(replicaSet);
    Long since = before == null ? null : before.waitingSince();
    if (since == null && specReplicas > (before == null ? 0 : before.specReplicas()) && availableReplicas < specReplicas) {
      since = nanos;
    }
    if (since != null && availableReplicas >= specReplicas) {
      waits.computeIfAbsent(rollout, k -> new ArrayList<>()).add(new UpdateIdeal.Wait(since, nanos));
      since = null;
    }
    replicaSets.put(replicaSet, new Tracked(specReplicas, since));
  }

  /** The waits that started at or after {@code since} and ended, by Rollout name. */
  synchronized Map<String, List<UpdateIdeal.Wait>> endedSince(long since) {
    Map<String, List<UpdateIdeal.Wait>> out = new LinkedHashMap<>();
    waits.forEach((rollout, list) -> list.stream().filter(w -> w.startNanos() >= since)
        .forEach(w -> out.computeIfAbsent(rollout, k -> new ArrayList<>()).add(w)));
    return out;
  }

  /** Whether no Rollout's ReplicaSet was seen changing in the {@code stillNanos} before {@code nowNanos}. */
  synchronized boolean stillFor(long stillNanos, long nowNanos) {
    return lastSeenNanos == null || nowNanos - lastSeenNanos >= stillNanos;
  }

  /** How many ReplicaSets are waiting for their pods now. */
  synchronized long waitingNow() {
    return replicaSets.values().stream().filter(t -> t.waitingSince() != null).count();
  }
}
