package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.controller.plan.AnalysisGate;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.Effects;
import dev.sluice.controller.plan.ControllerPause;
import dev.sluice.controller.plan.GatedRun;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import dev.sluice.controller.plan.Passage;
import dev.sluice.controller.plan.RolloutState;
import dev.sluice.controller.plan.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks the canary steps from the current index as far as the observed world allows: a setWeight
 * once {@link CanaryWeight} says it is reached, a setCanaryScale at once, a header or mirror route once it is set,
 * a pause when its time is up or the user promoted, an analysis when its run is Successful (or
 * Inconclusive and promoted; see {@link AnalysisGate}). Past the last step the canary takes all pods
 * (with a router: and all traffic) and, once they are all available, becomes the stable.
 */
final class StepWalker {
  /**
   * Where the walk stopped.
   *
   * @param completed the update completed: the desired ReplicaSet is now the stable one
   * @param routeSteps the setHeaderRoute/setMirrorRoute steps reached (none once it completed the update), in order:
   *     their routes are set in this plan
   * @param weightReached without a router, the canary's share of pods reached ({@link CanaryWeight#reachedAfter}); 0 once
   *     it completed the update
   * @param effects what the walk said on the way (steps started, analyses, pauses, the completion)
   */
  record Walk(RolloutState state, boolean completed, List<CanaryStep> routeSteps, int weightReached, Effects effects) {}

  private final Context ctx;
  private final CanaryWeight weight;

  StepWalker(Context ctx, CanaryWeight weight) {
    this.ctx = ctx;
    this.weight = weight;
  }

  /** @param reached without a router, the share reached before the walk ({@link CanaryWeight#reachedBefore}) */
  Walk walk(RolloutState from, int reached) {
    Steps steps = ctx.steps();
    List<CanaryStep> routeSteps = new ArrayList<>();
    RolloutState state = from;
    Effects said = Effects.NONE;
    while (!steps.isDone(state.stepIndex())) {
      int index = state.stepIndex();
      CanaryStep step = steps.get(index);
      if (step.setHeaderRoute() != null || step.setMirrorRoute() != null) {
        routeSteps.add(step);
      }
      Passage done = done(state, index, step);
      said = said.plus(done.effects());
      reached = weight.reachedAfter(reached, index, step, done.passed());
      if (!done.passed()) {
        return new Walk(done.state(), false, List.copyOf(routeSteps), reached, said);
      }
      state = done.state().stepCompleted();
      if (!steps.isDone(state.stepIndex())) {
        said = said.plus(Effects.routine("StepStarted", "Started " + steps.describe(state.stepIndex())));
      }
    }
    return completeIfCanaryReady(state, routeSteps, reached, said);
  }

  private Passage done(RolloutState state, int index, CanaryStep step) {
    if (step.setWeight() != null) {
      return new Passage(state, weight.stepReached(state, index, step.setWeight()));
    }
    if (step.setHeaderRoute() != null || step.setMirrorRoute() != null) {
      // done once set: the route is written before this plan's status, so a failed write repeats the step
      return new Passage(state, true);
    }
    if (step.analysis() != null) {
      return new AnalysisGate(ctx, state).passed(GatedRun.step(index, ctx.steps().describe(index)), step.analysis());
    }
    if (step.setCanaryScale() != null) {
      return new Passage(state, true);
    }
    return ControllerPause.over(ctx, state, CanaryUpdate.PAUSE_STEP, ctx.settings().pauseDuration(index),
        ctx.steps().describe(index));
  }

  private Walk completeIfCanaryReady(RolloutState state, List<CanaryStep> routeSteps, int reached, Effects said) {
    Optional<ObservedReplicaSet> canary = ctx.replicaSet(ctx.desiredHash());
    if (canary.isEmpty() || canary.get().specReplicas() != ctx.replicas() || canary.get().availableReplicas() < ctx.replicas()) {
      return new Walk(state, false, List.copyOf(routeSteps), reached, said);
    }
    if (ctx.settings().routed() && !weight.allTrafficOnCanary()) {
      return new Walk(state, false, List.copyOf(routeSteps), reached, said);
    }
    Effects completion = ctx.settings().routed() ? Effects.stableReplaced(state.stableRS()) : Effects.NONE;
    completion = completion.plus(Effects.normal("RolloutCompleted", "Rollout completed update to revision " + ctx.desiredRevision()));
    // the walk ended past the last step: stepIndex is the number of steps; completion removes every
    // managed route, those set in this walk too
    // the canary is the stable now: no canary share
    return new Walk(state.complete(ctx.desiredHash()), true, List.of(), 0, said.plus(completion));
  }
}
