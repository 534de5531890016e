package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import java.util.Optional;

/**
 * spec.rollbackWindow{revisions: N}: an update whose template is one of the last N revisions (the
 * stable counts as the first: with N = 3 and the stable at revision 5, going back to 4 or 3) is a
 * rollback to something that already ran, so it skips every step, pause and analysis, as promote
 * --full does. Decided once, when the update starts, from the revisions the ReplicaSets carry then
 * (the old ReplicaSet is re-stamped as the newest revision right after); the decision is kept as
 * status.promoteFull, so a restart mid-rollback does not fall back to the steps.
 */
final class RollbackWindow {
  private RollbackWindow() {}

  /** Why this update is a fast-tracked rollback, as an event message; empty when it is not one. */
  static Optional<String> fastTrack(Context ctx, String stableHash) {
    RolloutSpec.RollbackWindow window = ctx.observed().rollout().getSpec().rollbackWindow();
    if (window == null || window.revisions() == null || window.revisions() <= 0) {
      return Optional.empty();
    }
    Optional<ObservedReplicaSet> target = ctx.replicaSet(ctx.desiredHash());
    Optional<ObservedReplicaSet> stable = ctx.replicaSet(stableHash);
    if (target.isEmpty() || stable.isEmpty() || target.get().revision() >= stable.get().revision()) {
      return Optional.empty();
    }
    long back = target.get().revision();
    long newer = ctx.observed().replicaSets().stream()
        .filter(rs -> rs.revision() > back && rs.revision() <= stable.get().revision())
        .count();
    if (newer >= window.revisions()) {
      return Optional.empty();
    }
    return Optional.of("Rolling back to the template of revision " + back + ", " + newer + " revision"
        + (newer == 1 ? "" : "s") + " back, within rollbackWindow (" + window.revisions()
        + " revisions): skipping every step and analysis");
  }
}
