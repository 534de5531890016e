package dev.sluice.controller.plan;

import dev.sluice.controller.plan.Action.DeleteReplicaSet;
import dev.sluice.controller.plan.Action.SetRevision;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import java.util.List;
import java.util.Optional;

/** Revision numbers on ReplicaSets, and the old ReplicaSets kept for rollbacks. */
final class RevisionHistory {
  private RevisionHistory() {}

  /** A rollback reuses an old ReplicaSet: it becomes the newest revision again, as in a Deployment. */
  static Optional<SetRevision> restampDesired(Context ctx) {
    return ctx.replicaSet(ctx.desiredHash())
        .filter(rs -> rs.revision() < ctx.maxRevision())
        .map(rs -> new SetRevision(rs.name(), ctx.maxRevision() + 1));
  }

  /**
   * Beyond revisionHistoryLimit old ReplicaSets (neither stable nor desired), the oldest that are
   * scaled to 0 and have no pods left are deleted.
   */
  static List<DeleteReplicaSet> prune(Context ctx, String stableHash) {
    List<ObservedReplicaSet> old = ctx.others(stableHash);
    int excess = old.size() - ctx.settings().revisionHistoryLimit();
    if (excess <= 0) {
      return List.of();
    }
    return old.stream()
        .filter(rs -> rs.specReplicas() == 0 && rs.replicas() == 0)
        .limit(excess)
        .map(rs -> new DeleteReplicaSet(rs.name()))
        .toList();
  }
}
