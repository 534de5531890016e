package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.WeightDestination;

/**
 * Without a router, status.canary.weights.canary.weight: the share the canary has reached, never
 * ahead of its pods. A lower step weight shows at once, a higher one once its pods are available.
 */
final class ReachedWeight {
  private int weight;

  ReachedWeight(int weight) {
    this.weight = weight;
  }

  /** What status recorded for the desired pods; 0 when it recorded another canary or none. */
  static int recorded(RolloutStatus status, String desiredHash) {
    return status == null ? 0 : status.canaryDestination().filter(c -> desiredHash.equals(c.podTemplateHash()))
        .map(WeightDestination::weight).orElse(0);
  }

  int value() {
    return weight;
  }

  /** Never more than {@code atMost} (before the pods move, at an analysis or a pause step). */
  void cap(int atMost) {
    weight = Math.min(weight, atMost);
  }

  /** The pods for {@code reached} are available. */
  void reached(int reached) {
    weight = reached;
  }

  /** The update completed: the canary is the stable now. */
  void reset() {
    weight = 0;
  }
}
