package dev.sluice.controller.rollout;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.util.Objects;

/**
 * Which ReplicaSet updates wake its rollout: those that change what a rollout reads of it (labels,
 * annotations, owner, deletion, spec with the pod template, and the pod counts and conditions in
 * status). The ReplicaSet controller also writes updates that move only its own bookkeeping
 * ({@code status.observedGeneration}, {@code status.fullyLabeledReplicas}); a reconcile for one of
 * those planned the same again, and at scale such reconciles queued up in front of pauses that
 * were due to end.
 */
final class ReplicaSetChanges {
  private ReplicaSetChanges() {}

  static boolean mattersToRollout(ReplicaSet updated, ReplicaSet old) {
    var meta = updated.getMetadata();
    var before = old.getMetadata();
    return !Objects.equals(meta.getLabels(), before.getLabels())
        || !Objects.equals(meta.getAnnotations(), before.getAnnotations())
        || !Objects.equals(meta.getOwnerReferences(), before.getOwnerReferences())
        || !Objects.equals(meta.getDeletionTimestamp(), before.getDeletionTimestamp())
        || !Objects.equals(meta.getUid(), before.getUid())
        || !Objects.equals(updated.getSpec(), old.getSpec())
        || countsOrConditionsChanged(updated.getStatus(), old.getStatus());
  }

  private static boolean countsOrConditionsChanged(ReplicaSetStatus now, ReplicaSetStatus before) {
    if (now == null || before == null) {
      return now != before;
    }
    return !Objects.equals(now.getReplicas(), before.getReplicas())
        || !Objects.equals(now.getReadyReplicas(), before.getReadyReplicas())
        || !Objects.equals(now.getAvailableReplicas(), before.getAvailableReplicas())
        || !Objects.equals(now.getConditions(), before.getConditions());
  }
}
