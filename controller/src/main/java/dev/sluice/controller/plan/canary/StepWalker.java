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
import java.util.Optional;

/**
 * Walks the canary steps from the current index as far as the observed world allows: a setWeight
 * completes once its pods are there (with a router: once the router reports the weight in place
 * and the pods have followed), a setCanaryScale at once, a header or mirror route once it is set,
 * a pause when its time is up or the user promoted, an analysis when its run is Successful (or
 * Inconclusive and promoted; see {@link AnalysisGate}). Past the last step the canary takes all pods
 * (with a router: and all traffic) and, once they are all available, becomes the stable.
 */
final class StepWalker {
  private final Context ctx;
  private final RolloutState state;
  private final CanaryTraffic traffic;
  private final ReachedWeight weight;
  private final Outcome out;

  StepWalker(Context ctx, RolloutState state, CanaryTraffic traffic, ReachedWeight weight, Outcome out) {
    this.ctx = ctx;
    this.state = state;
    this.traffic = traffic;
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

  private boolean done(int index, CanaryStep step) {
    if (step.setWeight() != null) {
      return ctx.settings().routed() ? routedWeightReached(index, step.setWeight()) : setWeight(index, step.setWeight());
    }
    if (step.setHeaderRoute() != null || step.setMirrorRoute() != null) {
      // done once set: the route is written before this plan's status, so a failed write repeats the step
      out.routeStepReached(step);
      return true;
    }
    if (step.analysis() != null) {
      weight.cap(ctx.steps().lastSetWeightBefore(index));
      return new AnalysisGate(ctx, state, out).passed(GatedRun.step(index, ctx.steps().describe(index)), step.analysis());
    }
    return step.setCanaryScale() != null || pause(index);
  }

  private boolean setWeight(int index, int stepWeight) {
    // a lower weight is reported before any canary pod goes; a higher one only once its pods are available
    weight.cap(stepWeight);
    CanarySplit split = CanarySplit.at(ctx.settings().budget(), stepWeight, ctx.steps().canaryScaleAt(index));
    if (!reached(split)) {
      return false;
    }
    weight.reached(stepWeight);
    return true;
  }

  private boolean reached(CanarySplit split) {
    String canary = ctx.desiredHash();
    return ctx.specReplicas(canary) == split.canary() && ctx.available(canary) >= split.canary()
        && ctx.specReplicas(state.stableRS()) == split.stable() && ctx.available(state.stableRS()) >= split.stable()
        && ctx.others(state.stableRS()).stream().allMatch(rs -> rs.specReplicas() == 0);
  }

  /**
   * The router reports the weight in place, on the canary's pods, and the canary is at its count.
   * The stable's count does not hold the step up: it only shrinks (dynamicStableScale) once traffic
   * has left, as far as availability allows, and grows before traffic comes back.
   */
  private boolean routedWeightReached(int index, int weight) {
    if (!traffic.weightSeen().equals(Optional.of(weight)) || (weight > 0 && !ctx.desiredHash().equals(traffic.hash()))) {
      return false;
    }
    int canaryPods = RoutedSplit.during(ctx, state, traffic, index).canary();
    return ctx.specReplicas(ctx.desiredHash()) == canaryPods && ctx.available(ctx.desiredHash()) >= canaryPods;
  }

  private boolean pause(int index) {
    weight.cap(ctx.steps().lastSetWeightBefore(index));
    return ControllerPause.over(ctx, state, out, CanaryUpdate.PAUSE_STEP, ctx.settings().pauseDuration(index),
        ctx.steps().describe(index));
  }

  private boolean completeIfCanaryReady() {
    Optional<ObservedReplicaSet> canary = ctx.replicaSet(ctx.desiredHash());
    if (canary.isEmpty() || canary.get().specReplicas() != ctx.replicas() || canary.get().availableReplicas() < ctx.replicas()) {
      return false;
    }
    if (ctx.settings().routed() && !allTrafficOnCanary()) {
      return false;
    }
    if (ctx.settings().routed()) {
      out.stableReplaced(state.stableRS());
      out.removeManagedRoutes();
    }
    // the walk ended past the last step: stepIndex is the number of steps
    state.complete(ctx.desiredHash());
    weight.reset();
    out.normal("RolloutCompleted", "Rollout completed update to revision " + ctx.desiredRevision());
    return true;
  }

  /** With a router the canary becomes the stable only once it carries all the traffic. */
  private boolean allTrafficOnCanary() {
    int max = ctx.settings().routing().orElseThrow().maxWeight();
    return traffic.weightSeen().equals(Optional.of(max)) && ctx.desiredHash().equals(traffic.hash());
  }
}
