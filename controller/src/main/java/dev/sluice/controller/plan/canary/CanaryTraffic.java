package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.WeightDestination;
import dev.sluice.controller.plan.TrafficObservation;
import java.util.Optional;

/**
 * With a traffic router: the canary weight the router reports and the pods the canary's share of
 * traffic goes to, while a plan is being made. Without a router: nothing seen, weight 0, no pods. A
 * value: the traffic planner returns the moved one ({@link #movedTo}).
 */
final class CanaryTraffic {
  private final Optional<Integer> weightSeen;
  private final int weightInPlace;
  private final String hash;

  private CanaryTraffic(Optional<Integer> weightSeen, int weightInPlace, String hash) {
    this.weightSeen = weightSeen;
    this.weightInPlace = weightInPlace;
    this.hash = hash;
  }

  /**
   * @param report the router's report, when the rollout has a router
   * @param status the observed status: the weight and pods it recorded
   */
  static CanaryTraffic from(Optional<TrafficObservation> report, RolloutStatus status) {
    return report.map(r -> new CanaryTraffic(r.weightInPlace(), r.weightInPlace().orElse(recordedWeight(status)),
        recordedCanaryHash(status))).orElse(new CanaryTraffic(Optional.empty(), 0, null));
  }

  private static int recordedWeight(RolloutStatus status) {
    return status == null ? 0 : status.canaryWeight().orElse(0);
  }

  private static String recordedCanaryHash(RolloutStatus status) {
    return status == null ? null : status.canaryDestination().map(WeightDestination::podTemplateHash).orElse(null);
  }

  /** The canary weight the router reported; empty when it could not tell. */
  Optional<Integer> weightSeen() {
    return weightSeen;
  }

  /** The canary weight in place as far as is known (reported, else last recorded). */
  int weightInPlace() {
    return weightInPlace;
  }

  /**
   * The pods (pod-template-hash) the canary's share of traffic goes to, as recorded in
   * status.canary.weights.canary.podTemplateHash; null before any was recorded.
   */
  String hash() {
    return hash;
  }

  /** The router reported the canary carries no traffic. */
  boolean none() {
    return weightSeen.equals(Optional.of(0));
  }

  /** The canary's traffic going to {@code hash} from now on (the traffic planner moves it only while it is 0). */
  CanaryTraffic movedTo(String hash) {
    return new CanaryTraffic(weightSeen, weightInPlace, hash);
  }
}
