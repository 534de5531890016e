package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One status write for what one reconcile carries out. After a plan that creates or scales
 * ReplicaSets (changes the caches show at once, see {@link RolloutApplier}), the rollout is planned
 * and applied again from that plan's status, as the reconcile the ReplicaSet's own event brings a
 * moment later would plan it; the status to write is the last plan's, the events are all of them.
 * Without this, a transition and its immediate consequence were two status writes: the scale-down
 * a setWeight step asks for, then the step reached and the next pause entered.
 *
 * <p>Planned again only while every action of the last plan is one the caches reflect at once (a
 * deletion, a Deployment's scale, a traffic change are seen only through a watch or the router, and
 * planning on before them could repeat them), at most {@link #MAX_PASSES} times in all.
 */
final class Replanning {
  static final int MAX_PASSES = 3;

  private Replanning() {}

  /** Observes, plans and applies once; empty when someone else changed a route object meanwhile. */
  interface Pass {
    Optional<Plan> run(Rollout rollout);
  }

  /**
   * @param retry when to look again if a later pass meets a conflict (the earlier passes' changes
   *     are made: their status is written)
   * @return the last pass's status, actions (all are applied by then) and wake-up time with every
   *     pass's events; empty when the first pass met a conflict
   */
  static Optional<Plan> fold(Rollout rollout, Pass pass, Duration retry) {
    Optional<Plan> first = pass.run(rollout);
    if (first.isEmpty()) {
      return first;
    }
    Plan folded = first.get();
    for (int n = 1; n < MAX_PASSES && worthPlanningAgain(folded.actions()); n++) {
      Optional<Plan> next = pass.run(withStatus(rollout, folded.status()));
      if (next.isEmpty()) {
        return Optional.of(new Plan(folded.status(), folded.actions(), folded.events(), Optional.of(retry)));
      }
      List<Plan.RolloutEvent> events = new ArrayList<>(folded.events());
      events.addAll(next.get().events());
      folded = new Plan(next.get().status(), next.get().actions(), List.copyOf(events), next.get().requeueAfter());
    }
    return Optional.of(folded);
  }

  /** The actions change ReplicaSets, and all of them change only what the caches show at once. */
  static boolean worthPlanningAgain(List<Action> actions) {
    return actions.stream().anyMatch(a -> a instanceof Action.CreateReplicaSet || a instanceof Action.ScaleReplicaSet)
        && actions.stream().allMatch(Replanning::seenAtOnce);
  }

  private static boolean seenAtOnce(Action a) {
    return a instanceof Action.CreateReplicaSet || a instanceof Action.ScaleReplicaSet || a instanceof Action.SetRevision
        || a instanceof Action.SetScaleDownDeadline || a instanceof Action.SetTemplateRole
        || a instanceof Action.SetTemplateAntiAffinity || a instanceof Action.CreateAnalysisRun
        || a instanceof Action.TerminateAnalysisRun;
  }

  /** The rollout as the next pass sees it: the planned status in place of the one read (the cached object is not changed). */
  static Rollout withStatus(Rollout rollout, RolloutStatus status) {
    Rollout copy = new Rollout();
    copy.setApiVersion(rollout.getApiVersion());
    copy.setKind(rollout.getKind());
    copy.setMetadata(rollout.getMetadata());
    copy.setSpec(rollout.getSpec());
    copy.setStatus(status);
    return copy;
  }
}
