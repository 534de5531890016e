package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.controller.plan.AnalysisGate;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.ControllerPause;
import dev.sluice.controller.plan.GatedRun;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import dev.sluice.controller.plan.Outcome;
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
  private final Context ctx;
  private final RolloutState state;
  private final CanaryWeight weight;
  private final Outcome out;
  /** setHeaderRoute/setMirrorRoute steps reached in this walk, in order: their routes are set in this plan. */
  private final List<CanaryStep> routeSteps = new ArrayList<>();

  StepWalker(Context ctx, RolloutState state, CanaryWeight weight, Outcome out) {
    this.ctx = ctx;
    this.state = state;
    this.weight = weight;
    this.out = out;
  }

  /** @return true when the update completed: the desired ReplicaSet is now the stable one */
  boolean walk() {
    Steps steps = ctx.steps();
    while (!steps.isDone(state.stepIndex())) {
      int index = state.stepIndex();
      CanaryStep step = steps.get(index);
      if (!done(index, step)) {
        return false;
      }
      state.stepCompleted();
      if (!steps.isDone(state.stepIndex())) {
        out.routine("StepStarted", "Started " + steps.describe(state.stepIndex()));
      }
    }
    return completeIfCanaryReady();
  }

  /** The setHeaderRoute/setMirrorRoute steps this walk reached (none once it completed the update), in order. */
  List<CanaryStep> routeSteps() {
    return List.copyOf(routeSteps);
  }

  private boolean done(int index, CanaryStep step) {
    if (step.setWeight() != null) {
      return weight.stepReached(state, index, step.setWeight());
    }
    if (step.setHeaderRoute() != null || step.setMirrorRoute() != null) {
      // done once set: the route is written before this plan's status, so a failed write repeats the step
      routeSteps.add(step);
      return true;
    }
    if (step.analysis() != null) {
      weight.holdAt(index);
      return new AnalysisGate(ctx, state, out).passed(GatedRun.step(index, ctx.steps().describe(index)), step.analysis());
    }
    return step.setCanaryScale() != null || pause(index);
  }

  private boolean pause(int index) {
    weight.holdAt(index);
    return ControllerPause.over(ctx, state, out, CanaryUpdate.PAUSE_STEP, ctx.settings().pauseDuration(index),
        ctx.steps().describe(index));
  }

  private boolean completeIfCanaryReady() {
    Optional<ObservedReplicaSet> canary = ctx.replicaSet(ctx.desiredHash());
    if (canary.isEmpty() || canary.get().specReplicas() != ctx.replicas() || canary.get().availableReplicas() < ctx.replicas()) {
      return false;
    }
    if (ctx.settings().routed() && !weight.allTrafficOnCanary()) {
      return false;
    }
    if (ctx.settings().routed()) {
      out.stableReplaced(state.stableRS());
      // completion removes every managed route, those set in this walk too
      out.removeManagedRoutes();
      routeSteps.clear();
    }
    // the walk ended past the last step: stepIndex is the number of steps
    state.complete(ctx.desiredHash());
    weight.completed();
    out.normal("RolloutCompleted", "Rollout completed update to revision " + ctx.desiredRevision());
    return true;
  }
}
