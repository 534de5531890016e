package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.api.v1alpha1.TrafficRouting.ManagedRoute;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Objects;

/**
 * Everything a router needs to know about one Rollout at one moment.
 *
 * @param canaryHash pod-template-hash of the canary pods; the stable hash when no update is under way
 * @param owner put on objects Sluice creates (canary Ingress, TrafficSplit) so they go with the Rollout
 */
public record RouterContext(
    String namespace,
    String rolloutName,
    String canaryService,
    String stableService,
    String canaryHash,
    String stableHash,
    TrafficRouting routing,
    OwnerReference owner) {

  public static final int DEFAULT_MAX_TRAFFIC_WEIGHT = 100;

  public RouterContext {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(rolloutName, "rolloutName");
    Objects.requireNonNull(routing, "routing");
  }

  /** The context for a Rollout with a canary strategy that has trafficRouting. */
  public static RouterContext of(Rollout rollout, String canaryHash, String stableHash) {
    CanaryStrategy canary = rollout.getSpec() == null || rollout.getSpec().strategy() == null
        ? null : rollout.getSpec().strategy().canary();
    if (canary == null || canary.trafficRouting() == null) {
      throw new IllegalArgumentException("Rollout " + rollout.getMetadata().getName() + " has no canary trafficRouting");
    }
    return new RouterContext(rollout.getMetadata().getNamespace(), rollout.getMetadata().getName(),
        canary.canaryService(), canary.stableService(), canaryHash, stableHash, canary.trafficRouting(),
        controllerReference(rollout));
  }

  static OwnerReference controllerReference(Rollout rollout) {
    return new OwnerReferenceBuilder()
        .withApiVersion(Rollout.GROUP + "/" + Rollout.VERSION)
        .withKind("Rollout")
        .withName(rollout.getMetadata().getName())
        .withUid(rollout.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The weight that means all traffic: trafficRouting.maxTrafficWeight, 100 by default. */
  public int maxTrafficWeight() {
    return routing.maxTrafficWeight() == null ? DEFAULT_MAX_TRAFFIC_WEIGHT : routing.maxTrafficWeight();
  }

  /** Managed route names in precedence order (first wins). */
  public List<String> managedRouteNames() {
    return routing.managedRoutes() == null ? List.of()
        : routing.managedRoutes().stream().map(ManagedRoute::name).filter(Objects::nonNull).toList();
  }

  /** The owner for objects a router creates; without it a router could not tell its own objects later. */
  OwnerReference requireOwner(String router) {
    return Objects.requireNonNull(owner, router + " routing needs RouterContext.owner (the Rollout's reference)");
  }

  /** Both Service names, or an error naming the router that needs them. */
  String requireCanaryService(String router) {
    if (canaryService == null || canaryService.isBlank()) {
      throw TrafficRoutingException.invalidSpec(router + " traffic routing needs spec.strategy.canary.canaryService");
    }
    return canaryService;
  }

  String requireStableService(String router) {
    if (stableService == null || stableService.isBlank()) {
      throw TrafficRoutingException.invalidSpec(router + " traffic routing needs spec.strategy.canary.stableService");
    }
    return stableService;
  }

  /** The split for a requested canary weight, checked against maxTrafficWeight. */
  WeightSplit split(int canaryWeight) {
    return WeightSplit.of(canaryWeight, maxTrafficWeight());
  }
}
