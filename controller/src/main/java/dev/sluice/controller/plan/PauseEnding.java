package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a reconcile leaves a timed pause whose time has come. When the step after it needs new pods
 * (the plan scales a ReplicaSet up, and scales only), the status that leaves the pause is written
 * alone and the scaling follows in a reconcile queued at once, as Argo Rollouts ends a pause.
 * Rollouts whose pauses end together (a wave updated at once) then each leave theirs with one
 * write, instead of waiting behind the scale writes of the ones before them on the same reconcile
 * threads and API server, and behind the pods those scales start.
 *
 * <p>The status written is the one the scaling leads to, as the reconcile that scales plans it once
 * the caches show the new spec.replicas: it differs from the status before the scaling only in its
 * message and conditions ("updated replicas are still becoming available"), so that reconcile has no
 * status to write. A status that claims a scaling about to be made is safe because planning from it
 * asks for the same scaling, so a crash between the two loses nothing. When the scaling would lead
 * further (another step, a pause entered, more actions), the status before it is written instead:
 * a pause must not start before the weight it holds is set. So a pause followed by a step the caches
 * complete at once (a scale-down) is still left with its scaling, and any other action (a traffic
 * weight, a Service switch, a new ReplicaSet) still goes before the status that records it.
 */
public final class PauseEnding {
  private PauseEnding() {}

  /**
   * @param plan planned by {@code planner} from {@code observed}
   * @return {@code plan} without its actions, with the status its scaling leads to, and to be planned
   *     again at once when it leaves the timed pause the rollout stands in after that pause's time, and
   *     its actions only scale ReplicaSets, one of them up; else {@code plan}
   */
  public static Plan statusFirst(Observed observed, Plan plan, Instant now, RolloutPlanner planner) {
    Rollout rollout = observed.rollout();
    if (!plan.actions().stream().allMatch(a -> a instanceof Action.ScaleReplicaSet)
        || plan.actions().stream().noneMatch(a -> scalesUp(observed, (Action.ScaleReplicaSet) a))
        || PauseDeadline.endedLate(rollout.getSpec(), rollout.getStatus(), plan.status(), now).isEmpty()) {
      return plan;
    }
    List<Action.ScaleReplicaSet> scales = plan.actions().stream().map(Action.ScaleReplicaSet.class::cast).toList();
    Plan scaled = planner.plan(observed.afterScaling(plan.status(), scales), now).timedSince(rollout.getStatus());
    if (!scaled.actions().isEmpty() || !sameStep(plan.status(), scaled.status())) {
      return new Plan(plan.status(), List.of(), plan.events(), Optional.of(Duration.ZERO));
    }
    List<Plan.RolloutEvent> events = new ArrayList<>(plan.events());
    events.addAll(scaled.events());
    return new Plan(scaled.status(), List.of(), List.copyOf(events), Optional.of(Duration.ZERO));
  }

  private static boolean scalesUp(Observed observed, Action.ScaleReplicaSet scale) {
    return observed.replicaSets().stream()
        .anyMatch(rs -> rs.name().equals(scale.name()) && scale.replicas() > rs.specReplicas());
  }

  private static boolean sameStep(RolloutStatus before, RolloutStatus after) {
    return Objects.equals(before.currentStepIndex(), after.currentStepIndex())
        && Objects.equals(before.pauseConditions(), after.pauseConditions())
        && Objects.equals(before.phase(), after.phase());
  }
}
