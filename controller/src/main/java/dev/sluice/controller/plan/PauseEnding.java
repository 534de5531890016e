package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a reconcile leaves a timed pause whose time has come. When all the plan asks besides is
 * ReplicaSet scaling, the status that leaves the pause is written alone and the scaling follows in a
 * reconcile queued at once, as Argo Rollouts ends a pause. Rollouts whose pauses end together (a
 * wave updated at once) then each leave theirs with one write, instead of waiting behind the scale
 * writes of the ones before them on the same reconcile threads and API server, and behind the pods
 * those scales start. The status describes the ReplicaSets as they are, claiming nothing of the
 * scaling, and planning from it again asks for the same scaling, so a crash between the two loses
 * nothing (the reconcile that scales may write the status once more: its message and counts). Any other action (a traffic weight, a Service switch, a new ReplicaSet) still
 * goes before the status that records it.
 */
public final class PauseEnding {
  private PauseEnding() {}

  /**
   * @param from the status {@code plan} was planned from
   * @return {@code plan} without its actions and to be planned again at once when it leaves the
   *     timed pause {@code from} stands in after that pause's time and its actions only scale
   *     ReplicaSets; else {@code plan}
   */
  public static Plan statusFirst(RolloutSpec spec, RolloutStatus from, Plan plan, Instant now) {
    if (plan.actions().isEmpty() || !plan.actions().stream().allMatch(a -> a instanceof Action.ScaleReplicaSet)
        || PauseDeadline.endedLate(spec, from, plan.status(), now).isEmpty()) {
      return plan;
    }
    return new Plan(plan.status(), List.of(), plan.events(), Optional.of(Duration.ZERO));
  }
}
