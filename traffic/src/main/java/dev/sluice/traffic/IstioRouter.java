package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.DestinationRule;
import dev.sluice.api.v1alpha1.TrafficRouting.Istio;
import dev.sluice.api.v1alpha1.TrafficRouting.VirtualService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Istio: weights on the named routes of the VirtualService(s); with a destinationRule, a
 * subset-level split whose canary/stable subsets are first pinned to the pod-template-hashes.
 */
final class IstioRouter implements TrafficRouter {
  private static final String VS_FIELD = "trafficRouting.istio.virtualService";
  private static final String DR_FIELD = "trafficRouting.istio.destinationRule";

  private final GenericRoutes routes;

  IstioRouter(KubernetesClient client) {
    this.routes = new GenericRoutes(client);
  }

  @Override
  public String name() {
    return "Istio";
  }

  @Override
  public void setWeight(RouterContext ctx, int canaryWeight) {
    WeightSplit split = ctx.split(canaryWeight);
    DestinationRule dr = spec(ctx).destinationRule();
    if (dr != null) {
      if (ctx.stableHash() == null) {
        throw TrafficRoutingException.invalidSpec("Istio subset-level routing needs the stable pod-template-hash");
      }
      String canaryHash = ctx.canaryHash() == null ? ctx.stableHash() : ctx.canaryHash();
      DestinationRuleRewriter rewriter = new DestinationRuleRewriter(dr.canarySubsetName(), dr.stableSubsetName());
      routes.rewrite(GenericRoutes.DESTINATION_RULE, ctx.namespace(), dr.name(), DR_FIELD,
          r -> rewriter.withHashes(r, canaryHash, ctx.stableHash()));
    }
    rewriteEach(ctx, rewriter -> r -> rewriter.withWeight(r, split));
  }

  @Override
  public void setHeaderRoute(RouterContext ctx, SetHeaderRoute route) {
    rewriteEach(ctx, rewriter -> r -> rewriter.withHeaderRoute(r, route));
  }

  @Override
  public void setMirrorRoute(RouterContext ctx, SetMirrorRoute route) {
    rewriteEach(ctx, rewriter -> r -> rewriter.withMirrorRoute(r, route));
  }

  @Override
  public void removeManagedRoutes(RouterContext ctx) {
    rewriteEach(ctx, rewriter -> rewriter::withoutManagedRoutes);
  }

  @Override
  public Optional<Integer> currentWeight(RouterContext ctx) {
    List<Optional<Integer>> weights = new ArrayList<>();
    for (VirtualService vs : virtualServices(ctx)) {
      GenericKubernetesResource current = routes.require(GenericRoutes.VIRTUAL_SERVICE, ctx.namespace(), vs.name(), VS_FIELD);
      weights.add(rewriter(ctx, vs).canaryWeight(current, ctx.maxTrafficWeight()));
    }
    return WeightSplit.agreed(weights);
  }

  private void rewriteEach(RouterContext ctx,
      Function<VirtualServiceRewriter, UnaryOperator<GenericKubernetesResource>> rewrite) {
    for (VirtualService vs : virtualServices(ctx)) {
      routes.rewrite(GenericRoutes.VIRTUAL_SERVICE, ctx.namespace(), vs.name(), VS_FIELD, rewrite.apply(rewriter(ctx, vs)));
    }
  }

  private static VirtualServiceRewriter rewriter(RouterContext ctx, VirtualService vs) {
    return new VirtualServiceRewriter(destinations(ctx), vs, ctx.managedRouteNames());
  }

  private static Istio spec(RouterContext ctx) {
    return ctx.routing().istio();
  }

  private static IstioDestinations destinations(RouterContext ctx) {
    DestinationRule dr = spec(ctx).destinationRule();
    if (dr == null) {
      return IstioDestinations.byHost(ctx.requireCanaryService("Istio"), ctx.requireStableService("Istio"), ctx.namespace());
    }
    if (dr.name() == null || dr.canarySubsetName() == null || dr.stableSubsetName() == null) {
      throw TrafficRoutingException.invalidSpec(DR_FIELD + " needs name, canarySubsetName and stableSubsetName");
    }
    return IstioDestinations.bySubset(dr.canarySubsetName(), dr.stableSubsetName());
  }

  private static List<VirtualService> virtualServices(RouterContext ctx) {
    List<VirtualService> all = new ArrayList<>();
    if (spec(ctx).virtualService() != null) {
      all.add(spec(ctx).virtualService());
    }
    if (spec(ctx).virtualServices() != null) {
      all.addAll(spec(ctx).virtualServices());
    }
    if (all.isEmpty() || all.stream().anyMatch(vs -> vs == null || vs.name() == null || vs.name().isBlank())) {
      throw TrafficRoutingException.invalidSpec("trafficRouting.istio needs virtualService or virtualServices, each with a name");
    }
    return all;
  }
}
