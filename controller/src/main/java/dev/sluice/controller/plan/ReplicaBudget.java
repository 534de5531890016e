package dev.sluice.controller.plan;

import dev.sluice.api.validation.IntOrPercent;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * How far an update may go above and below spec.replicas, resolved like a Deployment's rolling
 * update: maxSurge rounds up, maxUnavailable rounds down, and if both come out 0, maxUnavailable is
 * 1 so that the update can move at all.
 *
 * @param replicas spec.replicas (default 1)
 * @param maxSurge pods allowed above {@code replicas}, counting every ReplicaSet's spec.replicas
 * @param maxUnavailable available pods allowed below {@code replicas}
 */
public record ReplicaBudget(int replicas, int maxSurge, int maxUnavailable) {
  static final IntOrString DEFAULT = new IntOrString("25%");

  static ReplicaBudget resolve(int replicas, IntOrString maxSurge, IntOrString maxUnavailable) {
    int surge = IntOrPercent.resolve(maxSurge == null ? DEFAULT : maxSurge, replicas, true);
    int unavailable = Math.min(replicas, IntOrPercent.resolve(maxUnavailable == null ? DEFAULT : maxUnavailable, replicas, false));
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new ReplicaBudget(replicas, surge, unavailable);
  }

  /** The same budget without a limit on pods above {@code replicas}. */
  ReplicaBudget withoutSurgeLimit() {
    return new ReplicaBudget(replicas, Integer.MAX_VALUE - replicas, maxUnavailable);
  }

  /** The most pods (sum of ReplicaSet spec.replicas) an update may run. */
  public int maxPods() {
    return replicas + maxSurge;
  }

  /** The fewest available pods a scale-down ordered by the planner may leave. */
  int minAvailable() {
    return Math.max(0, replicas - maxUnavailable);
  }
}
