package dev.sluice.traffic;

import dev.sluice.api.Ownership;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.Smi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * SMI: a TrafficSplit (default name: the Rollout's) that Sluice creates and owns, splitting the
 * root Service (default: the stable Service) between the canary and stable Services. SMI's
 * TrafficSplit has no header or mirror routes, so those steps are refused with a clear message.
 */
final class SmiRouter implements TrafficRouter {
  private final GenericRoutes routes;

  SmiRouter(KubernetesClient client) {
    this.routes = new GenericRoutes(client);
  }

  @Override
  public String name() {
    return "SMI";
  }

  @Override
  public void setWeight(RouterContext ctx, int canaryWeight) {
    WeightSplit split = ctx.split(canaryWeight);
    String name = trafficSplitName(ctx);
    GenericKubernetesResource existing = existing(ctx).orElse(null);
    GenericKubernetesResource desired = rewriter(ctx).withWeight(existing, name, ctx.namespace(), rootService(ctx),
        ctx.requireOwner(name()), split);
    if (existing == null) {
      routes.create(GenericRoutes.TRAFFIC_SPLIT, desired);
    } else {
      routes.replaceIfChanged(GenericRoutes.TRAFFIC_SPLIT, existing, desired);
    }
  }

  @Override
  public void setHeaderRoute(RouterContext ctx, SetHeaderRoute route) {
    if (!StringMatches.removes(route)) {
      throw TrafficRoutingException.unsupported("setHeaderRoute \"" + route.name() + "\": SMI TrafficSplit cannot route by header");
    }
  }

  @Override
  public void setMirrorRoute(RouterContext ctx, SetMirrorRoute route) {
    if (!StringMatches.removes(route)) {
      throw TrafficRoutingException.unsupported("setMirrorRoute \"" + route.name() + "\": SMI TrafficSplit cannot mirror traffic");
    }
  }

  @Override
  public void removeManagedRoutes(RouterContext ctx) {
    // SMI has no managed routes
  }

  @Override
  public Optional<Integer> currentWeight(RouterContext ctx) {
    return existing(ctx).flatMap(split -> rewriter(ctx).canaryWeight(split, ctx.maxTrafficWeight()));
  }

  /** The TrafficSplit if it exists; one that is not this Rollout's is an error. */
  private Optional<GenericKubernetesResource> existing(RouterContext ctx) {
    Optional<GenericKubernetesResource> existing = routes.get(GenericRoutes.TRAFFIC_SPLIT, ctx.namespace(), trafficSplitName(ctx));
    if (existing.isPresent() && !Ownership.controlledBy(existing.get(), ctx.requireOwner(name()))) {
      throw TrafficRoutingException.notOwned(TrafficSplitRewriter.KIND, trafficSplitName(ctx), ctx.rolloutName());
    }
    return existing;
  }

  private static TrafficSplitRewriter rewriter(RouterContext ctx) {
    return new TrafficSplitRewriter(ctx.requireCanaryService("SMI"), ctx.requireStableService("SMI"));
  }

  private static Smi spec(RouterContext ctx) {
    return ctx.routing().smi();
  }

  private static String trafficSplitName(RouterContext ctx) {
    String name = spec(ctx).trafficSplitName();
    return name == null || name.isBlank() ? ctx.rolloutName() : name;
  }

  private static String rootService(RouterContext ctx) {
    String root = spec(ctx).rootService();
    return root == null || root.isBlank() ? ctx.requireStableService("SMI") : root;
  }
}
