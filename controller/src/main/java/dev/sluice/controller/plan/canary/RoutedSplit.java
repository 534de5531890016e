package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStep.SetCanaryScale;
import dev.sluice.controller.plan.Context;
import java.util.Optional;

/**
 * With a traffic router pods follow the weight separately from traffic: how many pods the canary
 * and the stable run during an update at a step (or past the last one, where the weight is
 * maxTrafficWeight).
 *
 * <p>The canary runs what its step's weight needs (or what setCanaryScale asks for), and never
 * fewer than the weight in place needs (with setCanaryScale: never none while it has traffic). The stable keeps all its pods, or with dynamicStableScale
 * the pods for the larger of its share now and its share at the step's weight: it grows before
 * traffic comes back to it and shrinks only after traffic has left.
 *
 * @param weight the weight the step works towards
 */
record RoutedSplit(int canary, int stable, int weight) {

  static RoutedSplit during(Context ctx, CanaryTraffic traffic, int index) {
    RoutingSettings routing = ctx.settings().routing().orElseThrow();
    int replicas = ctx.replicas();
    int weight = CanaryWeight.target(ctx, index);
    Optional<SetCanaryScale> scale = ctx.steps().canaryScaleAt(index);
    int canary = scale.map(s -> CanarySplit.scaled(s, replicas)).orElse(routing.canaryPodsFor(replicas, weight));
    if (ctx.desiredHash().equals(traffic.hash())) {
      // what the weight in place needs; a setCanaryScale decides the count, but traffic never meets zero pods
      int inPlace = scale.isEmpty() ? routing.canaryPodsFor(replicas, traffic.weightInPlace())
          : Math.min(1, Math.min(replicas, traffic.weightInPlace()));
      canary = Math.max(canary, inPlace);
    }
    int stable = Math.max(routing.stablePodsFor(replicas, weight), routing.stablePodsFor(replicas, traffic.weightInPlace()));
    return new RoutedSplit(canary, stable, weight);
  }

  /**
   * Available canary pods needed before {@code weight} may be put in place at {@code index}: what
   * the weight needs, or with setCanaryScale in force what it asks for; at least one pod, since
   * traffic must never go to a canary without any.
   */
  static int canaryPodsNeeded(Context ctx, int index, int weight) {
    int replicas = ctx.replicas();
    if (replicas == 0 || weight == 0) {
      return 0;
    }
    int pods = ctx.steps().canaryScaleAt(index).map(s -> CanarySplit.scaled(s, replicas))
        .orElse(ctx.settings().routing().orElseThrow().canaryPodsFor(replicas, weight));
    return Math.max(1, pods);
  }
}
