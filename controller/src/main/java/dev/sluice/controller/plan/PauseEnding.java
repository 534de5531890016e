package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a reconcile leaves a timed pause whose time has come. When the step after it only scales
 * ReplicaSets, the status that leaves the pause is written alone and the scaling follows in a
 * reconcile queued at once, as Argo Rollouts ends a pause. Rollouts whose pauses end together (a
 * wave updated at once) then each leave theirs with one write, instead of waiting behind the scale
 * writes of the ones before them on the same reconcile threads and API server. The status describes
 * the ReplicaSets as they are, claiming nothing of the scaling, and planning from it again asks for
 * the same scaling, so a crash between the two loses nothing. The reconcile that scales up has no
 * status of its own to write when the scaling changes no count (the status counts pods, which come
 * later, and says "updated replicas are still becoming available" only once they have come). One that
 * scales down writes the next step's status (the caches show a scale-down at once): one status write
 * more than leaving the pause with its scaling, the price of leaving every due pause first. Any other
 * action (a traffic weight, a Service switch, a new ReplicaSet) still goes before the status that
 * records it.
 */
public final class PauseEnding {
  private PauseEnding() {}

  /**
   * @param plan planned from {@code observed}
   * @return {@code plan} without its actions and to be planned again at once when it leaves the
   *     timed pause the rollout stands in after that pause's time, and its actions only scale
   *     ReplicaSets; else {@code plan}
   */
  public static Plan statusFirst(Observed observed, Plan plan, Instant now) {
    Rollout rollout = observed.rollout();
    if (plan.actions().isEmpty() || !plan.actions().stream().allMatch(a -> a instanceof Action.ScaleReplicaSet)
        || PauseDeadline.endedLate(rollout.getSpec(), rollout.getStatus(), plan.status(), now).isEmpty()) {
      return plan;
    }
    return new Plan(plan.status(), List.of(), plan.events(), Optional.of(Duration.ZERO));
  }
}
