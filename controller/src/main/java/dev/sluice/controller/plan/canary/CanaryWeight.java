package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.WeightDestination;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.Effects;
import dev.sluice.controller.plan.RolloutState;
import java.util.Optional;

/**
 * Decides the canary weight: the one place setWeight is decided. The step walk asks it when a
 * setWeight step is reached ({@link #stepReached}), status shows what it says ({@link #inStatus}),
 * and with a router the traffic planner puts in place the weight it allows ({@link #goal},
 * {@link #allowedNow}); the pod splits ({@link CanarySplit}, {@link RoutedSplit}) size the pods for
 * the weight a step works towards ({@link #target}).
 *
 * <p>Without a router the weight is the canary's share of pods and never ahead of them: a lower
 * step weight shows at once, a higher one once its pods are available. With a router it is what
 * the router reports; it rises only once the canary has the available pods that weight needs.
 */
final class CanaryWeight {
  private final Context ctx;
  private final CanaryTraffic traffic;

  CanaryWeight(Context ctx, CanaryTraffic traffic) {
    this.ctx = ctx;
    this.traffic = traffic;
  }

  /** The weight a step works towards at {@code index}: 100 (with a router maxTrafficWeight) once past the last step. */
  static int target(Context ctx, int index) {
    if (ctx.settings().routed() && ctx.steps().isDone(index)) {
      return ctx.settings().routing().orElseThrow().maxWeight();
    }
    return ctx.steps().targetWeight(index);
  }

  /**
   * Without a router, the share reached when the update moves in this plan: what status recorded,
   * or 0 when its steps started over in this plan. The walk carries it on ({@link #reachedAfter}).
   */
  int reachedBefore(RolloutState state) {
    return state.attemptRestarted() ? 0 : recorded();
  }

  /**
   * Without a router, the share reached once the walk has been at the step {@code index}: a
   * setWeight's weight once the step is reached, and never more than it before (a lower weight
   * shows at once); at an analysis or a pause never more than the last setWeight before it.
   *
   * @param stepDone the walk has done the step
   */
  int reachedAfter(int reached, int index, CanaryStep step, boolean stepDone) {
    if (step.setWeight() != null) {
      return stepDone ? step.setWeight() : Math.min(reached, step.setWeight());
    }
    if (step.analysis() != null || isPause(step)) {
      return Math.min(reached, ctx.steps().lastSetWeightBefore(index));
    }
    return reached;
  }

  private static boolean isPause(CanaryStep step) {
    return step.setHeaderRoute() == null && step.setMirrorRoute() == null && step.setCanaryScale() == null;
  }

  /**
   * A setWeight step at {@code index} is reached. Without a router: once its pods are there (a
   * lower weight shows before any canary pod goes). With a router: once the router reports the
   * weight in place, on the canary's pods, and the canary is at its count; the stable's count does
   * not hold the step up, it only shrinks (dynamicStableScale) once traffic has left.
   */
  boolean stepReached(RolloutState state, int index, int stepWeight) {
    if (ctx.settings().routed()) {
      if (!traffic.weightSeen().equals(Optional.of(stepWeight))
          || (stepWeight > 0 && !ctx.desiredHash().equals(traffic.hash()))) {
        return false;
      }
      int canaryPods = RoutedSplit.during(ctx, traffic, index).canary();
      return ctx.specReplicas(ctx.desiredHash()) == canaryPods && ctx.available(ctx.desiredHash()) >= canaryPods;
    }
    return podsAt(state, CanarySplit.at(ctx.settings().budget(), stepWeight, ctx.steps().canaryScaleAt(index)));
  }

  private boolean podsAt(RolloutState state, CanarySplit split) {
    String canary = ctx.desiredHash();
    return ctx.specReplicas(canary) == split.canary() && ctx.available(canary) >= split.canary()
        && ctx.specReplicas(state.stableRS()) == split.stable() && ctx.available(state.stableRS()) >= split.stable()
        && ctx.others(state.stableRS()).stream().allMatch(rs -> rs.specReplicas() == 0);
  }

  /** With a router: the canary carries all the traffic, on the desired pods (the update may complete). */
  boolean allTrafficOnCanary() {
    int max = ctx.settings().routing().orElseThrow().maxWeight();
    return traffic.weightSeen().equals(Optional.of(max)) && ctx.desiredHash().equals(traffic.hash());
  }

  /**
   * status.canary.weights.canary.weight. With a router: the weight in place. Without: once the
   * update moved in this plan, what the walk reached; otherwise what status recorded, unless the
   * attempt ended or started over in this plan (aborted, completed, settled, restarted): 0.
   *
   * @param reached without a router, the share reached when the update moved in this plan; empty when it did not move
   */
  int inStatus(RolloutState state, Optional<Integer> reached) {
    if (ctx.settings().routed()) {
      return traffic.weightInPlace();
    }
    if (state.aborted()) {
      return 0;
    }
    if (reached.isPresent()) {
      return reached.get();
    }
    return state.attemptRestarted() ? 0 : recorded();
  }

  /** With a router: the weight the rollout works towards, its step's during an update, 0 when the traffic leaves. */
  int goal(RolloutState state, String destination) {
    if (!destination.equals(traffic.hash()) || !state.liveUpdate(ctx.desiredHash())) {
      return 0;
    }
    return target(ctx, state.stepIndex());
  }

  /**
   * With a router: the weight to put in place now on the way to {@code goal}: the goal once it is
   * safe, else the weight in place. A raise needs the canary's available pods for it (and a
   * {@code canaryTarget} that keeps them); a cut with dynamicStableScale needs the stable's.
   */
  int allowedNow(RolloutState state, int goal, int canaryTarget) {
    int inPlace = traffic.weightInPlace();
    String desired = ctx.desiredHash();
    RoutingSettings routing = ctx.settings().routing().orElseThrow();
    boolean allowed;
    if (goal > inPlace) {
      int needed = RoutedSplit.canaryPodsNeeded(ctx, state.stepIndex(), goal);
      allowed = state.liveUpdate(desired) && desired.equals(traffic.hash())
          && ctx.available(desired) >= needed && canaryTarget >= needed;
    } else {
      allowed = goal == inPlace || !routing.dynamicStableScale()
          || ctx.available(state.stableRS()) >= routing.stablePodsFor(ctx.replicas(), goal);
    }
    return allowed ? goal : inPlace;
  }

  /** With a router: a weight change the router reports (set by this controller or anyone else) is an event, once. */
  Effects announceChange() {
    RolloutStatus previous = ctx.observed().rollout().getStatus();
    if (traffic.weightSeen().isEmpty() || previous == null) {
      return Effects.NONE;
    }
    Integer before = previous.canaryWeight().orElse(null);
    int now = traffic.weightSeen().get();
    if (before == null || before == now) {
      return Effects.NONE;
    }
    return Effects.routine("TrafficWeightChanged", "Canary traffic weight is now " + now + " of "
        + ctx.settings().routing().orElseThrow().maxWeight() + " (was " + before + ")");
  }

  /** What status recorded for the desired pods; 0 when it recorded another canary or none. */
  private int recorded() {
    RolloutStatus status = ctx.observed().rollout().getStatus();
    return status == null ? 0 : status.canaryDestination().filter(c -> ctx.desiredHash().equals(c.podTemplateHash()))
        .map(WeightDestination::weight).orElse(0);
  }
}
