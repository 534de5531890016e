package dev.sluice.traffic;

import java.util.List;
import java.util.Optional;

/** How traffic is divided: {@code canary + stable == total}. */
record WeightSplit(int canary, int stable, int total) {

  static WeightSplit of(int canaryWeight, int total) {
    if (total <= 0) {
      throw TrafficRoutingException.invalidSpec("trafficRouting.maxTrafficWeight must be positive, not " + total);
    }
    if (canaryWeight < 0 || canaryWeight > total) {
      throw TrafficRoutingException.invalidSpec(
          "canary weight " + canaryWeight + " is outside 0.." + total + " (trafficRouting.maxTrafficWeight)");
    }
    return new WeightSplit(canaryWeight, total - canaryWeight, total);
  }

  /**
   * The canary's share of {@code canary + stable}, scaled to {@code total} and rounded; empty when
   * neither gets traffic, since then there is no share to report.
   */
  static Optional<Integer> share(long canary, long stable, int total) {
    long sum = canary + stable;
    if (sum <= 0) {
      return Optional.empty();
    }
    return Optional.of((int) Math.round((double) canary * total / sum));
  }

  /** The weight every object reports, or empty when any is unknown or they disagree. */
  static Optional<Integer> agreed(List<Optional<Integer>> weights) {
    if (weights.isEmpty() || weights.stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    return weights.stream().map(Optional::get).distinct().count() == 1 ? weights.get(0) : Optional.empty();
  }
}
