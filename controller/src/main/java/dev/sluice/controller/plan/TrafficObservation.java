package dev.sluice.controller.plan;

import java.util.Optional;

/**
 * What the traffic router reported when the rollout was observed.
 *
 * @param weightInPlace the canary weight the route objects carry now (out of maxTrafficWeight);
 *     empty when it cannot be told (no TrafficSplit yet, route objects that disagree)
 * @param problem why the route objects could not be read or written; while there is one the
 *     rollout waits and says why
 */
public record TrafficObservation(Optional<Integer> weightInPlace, Optional<Problem> problem) {

  /**
   * @param reason a CamelCase condition reason such as {@code TrafficRouteNotFound}
   * @param message names the object and the field at fault
   * @param retryable a transient failure (conflict, API server unreachable) that may pass by itself
   */
  public record Problem(String reason, String message, boolean retryable) {}

  public TrafficObservation {
    weightInPlace = weightInPlace == null ? Optional.empty() : weightInPlace;
    problem = problem == null ? Optional.empty() : problem;
  }

  public static TrafficObservation inPlace(Optional<Integer> weight) {
    return new TrafficObservation(weight, Optional.empty());
  }

  public static TrafficObservation failed(String reason, String message, boolean retryable) {
    return new TrafficObservation(Optional.empty(), Optional.of(new Problem(reason, message, retryable)));
  }
}
