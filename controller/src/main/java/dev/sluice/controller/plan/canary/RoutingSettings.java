package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.TrafficRouting;
import java.time.Duration;
import java.util.Optional;

/**
 * A validated trafficRouting with its defaults: weights are out of {@code maxWeight}; the canary
 * needs {@code ceil(R * w / maxWeight)} pods for weight w, the stable its own share when
 * dynamicStableScale is on (else it keeps all R pods).
 *
 * @param scaleDownDelay how long the old stable keeps its pods after a promotion (0 with
 *     dynamicStableScale: by then it has no traffic and no pods left)
 * @param scaleDownDelayRevisionLimit how many old stables may wait at once; empty = no limit
 * @param managedRoutes whether any managed (header/mirror) route names are listed
 */
public record RoutingSettings(
    int maxWeight,
    boolean dynamicStableScale,
    Duration scaleDownDelay,
    Optional<Integer> scaleDownDelayRevisionLimit,
    boolean managedRoutes) {

  static final int DEFAULT_MAX_TRAFFIC_WEIGHT = 100;
  static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

  public static Optional<RoutingSettings> of(CanaryStrategy canary) {
    TrafficRouting routing = canary.trafficRouting();
    if (routing == null) {
      return Optional.empty();
    }
    boolean dynamic = Boolean.TRUE.equals(canary.dynamicStableScale());
    int delay = dynamic ? 0 : Optional.ofNullable(canary.scaleDownDelaySeconds()).orElse(DEFAULT_SCALE_DOWN_DELAY_SECONDS);
    return Optional.of(new RoutingSettings(
        Optional.ofNullable(routing.maxTrafficWeight()).orElse(DEFAULT_MAX_TRAFFIC_WEIGHT),
        dynamic,
        Duration.ofSeconds(delay),
        Optional.ofNullable(canary.scaleDownDelayRevisionLimit()),
        routing.managedRoutes() != null && !routing.managedRoutes().isEmpty()));
  }

  /** Pods the canary needs to carry {@code weight}. */
  public int canaryPodsFor(int replicas, int weight) {
    return ceilShare(replicas, weight);
  }

  /** Pods the stable needs while the canary carries {@code canaryWeight}: all of them unless dynamicStableScale. */
  public int stablePodsFor(int replicas, int canaryWeight) {
    return dynamicStableScale ? ceilShare(replicas, maxWeight - canaryWeight) : replicas;
  }

  private int ceilShare(int replicas, int weight) {
    return (int) (((long) replicas * Math.max(0, weight) + maxWeight - 1) / maxWeight);
  }
}
