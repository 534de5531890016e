package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.GatewayApi;
import dev.sluice.api.v1alpha1.TrafficRouting.HttpRouteRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Gateway API: weights on the canary and stable backendRefs of the HTTPRoute(s) named by
 * trafficRouting.gatewayAPI, header and mirror routes as extra rules. When some of
 * {@code httpRoutes} set {@code useHeaderRoutes: true}, only those get header and mirror routes.
 */
final class GatewayApiRouter implements TrafficRouter {
  private static final String SPEC_FIELD = "trafficRouting.gatewayAPI";

  private final GenericRoutes routes;

  GatewayApiRouter(KubernetesClient client) {
    this.routes = new GenericRoutes(client);
  }

  @Override
  public String name() {
    return "Gateway API";
  }

  @Override
  public void setWeight(RouterContext ctx, int canaryWeight) {
    WeightSplit split = ctx.split(canaryWeight);
    HttpRouteRewriter rewriter = rewriter(ctx);
    rewriteEach(ctx, allRoutes(ctx), r -> rewriter.withWeight(r, split));
  }

  @Override
  public void setHeaderRoute(RouterContext ctx, SetHeaderRoute route) {
    HttpRouteRewriter rewriter = rewriter(ctx);
    rewriteEach(ctx, headerRoutes(ctx), r -> rewriter.withHeaderRoute(r, route, ctx.managedRouteNames()));
  }

  @Override
  public void setMirrorRoute(RouterContext ctx, SetMirrorRoute route) {
    HttpRouteRewriter rewriter = rewriter(ctx);
    rewriteEach(ctx, headerRoutes(ctx), r -> rewriter.withMirrorRoute(r, route, ctx.managedRouteNames()));
  }

  @Override
  public void removeManagedRoutes(RouterContext ctx) {
    HttpRouteRewriter rewriter = rewriter(ctx);
    rewriteEach(ctx, allRoutes(ctx), rewriter::withoutManagedRoutes);
  }

  @Override
  public Optional<Integer> currentWeight(RouterContext ctx) {
    HttpRouteRewriter rewriter = rewriter(ctx);
    List<Optional<Integer>> weights = new ArrayList<>();
    for (String name : allRoutes(ctx)) {
      GenericKubernetesResource route = routes.require(GenericRoutes.HTTP_ROUTE, namespace(ctx), name, SPEC_FIELD);
      weights.add(rewriter.canaryWeight(route, ctx.maxTrafficWeight()));
    }
    return WeightSplit.agreed(weights);
  }

  private void rewriteEach(RouterContext ctx, List<String> names, UnaryOperator<GenericKubernetesResource> rewrite) {
    for (String name : names) {
      routes.rewrite(GenericRoutes.HTTP_ROUTE, namespace(ctx), name, SPEC_FIELD, rewrite);
    }
  }

  private static HttpRouteRewriter rewriter(RouterContext ctx) {
    return new HttpRouteRewriter(ctx.requireCanaryService("Gateway API"), ctx.requireStableService("Gateway API"),
        ctx.namespace());
  }

  private static GatewayApi spec(RouterContext ctx) {
    return ctx.routing().gatewayAPI();
  }

  private static String namespace(RouterContext ctx) {
    String namespace = spec(ctx).namespace();
    return namespace == null || namespace.isBlank() ? ctx.namespace() : namespace;
  }

  private static List<String> allRoutes(RouterContext ctx) {
    List<String> names = new ArrayList<>();
    if (spec(ctx).httpRoute() != null && !spec(ctx).httpRoute().isBlank()) {
      names.add(spec(ctx).httpRoute());
    }
    if (spec(ctx).httpRoutes() != null) {
      spec(ctx).httpRoutes().stream().map(HttpRouteRef::name)
          .filter(n -> n != null && !n.isBlank() && !names.contains(n)).forEach(names::add);
    }
    if (names.isEmpty()) {
      throw TrafficRoutingException.invalidSpec("trafficRouting.gatewayAPI needs httpRoute or httpRoutes");
    }
    return names;
  }

  private static List<String> headerRoutes(RouterContext ctx) {
    List<HttpRouteRef> refs = spec(ctx).httpRoutes() == null ? List.of() : spec(ctx).httpRoutes();
    List<String> chosen = refs.stream().filter(r -> Boolean.TRUE.equals(r.useHeaderRoutes()))
        .map(HttpRouteRef::name).toList();
    return chosen.isEmpty() ? allRoutes(ctx) : chosen;
  }
}
