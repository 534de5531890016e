package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Several routers configured at once (for example NGINX in front of SMI), driven in order. */
final class CompositeTrafficRouter implements TrafficRouter {
  private final List<TrafficRouter> routers;

  CompositeTrafficRouter(List<TrafficRouter> routers) {
    this.routers = List.copyOf(routers);
  }

  List<TrafficRouter> routers() {
    return routers;
  }

  @Override
  public String name() {
    return routers.stream().map(TrafficRouter::name).collect(Collectors.joining(" + "));
  }

  @Override
  public void setWeight(RouterContext ctx, int canaryWeight) {
    routers.forEach(r -> r.setWeight(ctx, canaryWeight));
  }

  @Override
  public void setHeaderRoute(RouterContext ctx, SetHeaderRoute route) {
    routers.forEach(r -> r.setHeaderRoute(ctx, route));
  }

  @Override
  public void setMirrorRoute(RouterContext ctx, SetMirrorRoute route) {
    routers.forEach(r -> r.setMirrorRoute(ctx, route));
  }

  @Override
  public void removeManagedRoutes(RouterContext ctx) {
    routers.forEach(r -> r.removeManagedRoutes(ctx));
  }

  @Override
  public Optional<Integer> currentWeight(RouterContext ctx) {
    return WeightSplit.agreed(routers.stream().map(r -> r.currentWeight(ctx)).toList());
  }
}
