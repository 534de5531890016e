package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStep.SetCanaryScale;
import dev.sluice.controller.plan.ReplicaBudget;
import java.util.Optional;

/**
 * How many pods the canary and the stable ReplicaSet should run at a canary weight, without a
 * traffic router (the weight is the canary's share of pods).
 *
 * <p>The canary gets {@code ceil(R*w/100)} pods (or what a setCanaryScale asks for) and the stable
 * keeps {@code ceil(R*(100-w)/100)}, the pods its share of traffic needs, and never fewer than
 * {@code R - canary}, so capacity stays at R. Both roundings up can total R+1: when the surge
 * budget cannot hold that, the stable's share wins and the canary gets one pod less.
 */
record CanarySplit(int canary, int stable) {

  static CanarySplit at(ReplicaBudget budget, int weight, Optional<SetCanaryScale> canaryScale) {
    int replicas = budget.replicas();
    int canary = canaryScale.map(s -> scaled(s, replicas)).orElse(ceilPercent(replicas, weight));
    int stable = Math.max(ceilPercent(replicas, 100 - weight), replicas - canary);
    return new CanarySplit(Math.min(canary, Math.max(0, budget.maxPods() - stable)), stable);
  }

  /** The canary pods a setCanaryScale asks for out of {@code replicas}. */
  static int scaled(SetCanaryScale scale, int replicas) {
    return scale.replicas() != null ? scale.replicas() : ceilPercent(replicas, scale.weight());
  }

  static int ceilPercent(int replicas, int percent) {
    return (int) (((long) replicas * percent + 99) / 100);
  }
}
