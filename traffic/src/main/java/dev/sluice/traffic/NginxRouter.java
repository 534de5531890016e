package dev.sluice.traffic;

import dev.sluice.api.Ownership;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.Nginx;
import dev.sluice.traffic.CanaryIngressRewriter.HeaderRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NGINX Ingress: one canary Ingress per stable Ingress, created by Sluice and owned by the Rollout
 * (so it is garbage-collected with it), carrying the canary weight and at most one header route.
 * NGINX cannot mirror a share of requests, so mirror routes are refused with a clear message.
 */
final class NginxRouter implements TrafficRouter {
  private static final String SPEC_FIELD = "trafficRouting.nginx.stableIngress";

  private final KubernetesClient client;

  NginxRouter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "NGINX Ingress";
  }

  @Override
  public void setWeight(RouterContext ctx, int canaryWeight) {
    WeightSplit split = ctx.split(canaryWeight);
    CanaryIngressRewriter rewriter = rewriter(ctx);
    for (String stableName : stableIngresses(ctx)) {
      Ingress stable = requireStable(ctx, stableName);
      Ingress existing = existingCanary(ctx, stableName);
      HeaderRoute header = existing == null ? null : rewriter.headerRouteIn(existing).orElse(null);
      store(ctx, existing, rewriter.canaryIngress(stable, existing, ctx.rolloutName(), ctx.requireOwner(name()), split, header));
    }
  }

  @Override
  public void setHeaderRoute(RouterContext ctx, SetHeaderRoute route) {
    CanaryIngressRewriter rewriter = rewriter(ctx);
    if (StringMatches.removes(route)) {
      ManagedRoutes.requireListed(ctx.managedRouteNames(), route.name(), "setHeaderRoute");
      for (String stableName : stableIngresses(ctx)) {
        Ingress existing = existingCanary(ctx, stableName);
        if (existing != null && rewriter.headerRouteIn(existing).map(h -> h.name().equals(route.name())).orElse(false)) {
          rebuild(ctx, rewriter, stableName, existing, null);
        }
      }
      return;
    }
    HeaderRoute header = rewriter.headerRoute(route, ctx.managedRouteNames());
    for (String stableName : stableIngresses(ctx)) {
      Ingress existing = existingCanary(ctx, stableName);
      Optional<HeaderRoute> present = existing == null ? Optional.empty() : rewriter.headerRouteIn(existing);
      if (present.isPresent() && !present.get().name().equals(route.name())) {
        throw TrafficRoutingException.unsupported("setHeaderRoute \"" + route.name() + "\": canary Ingress "
            + existing.getMetadata().getName() + " already routes by header for \"" + present.get().name()
            + "\" and NGINX Ingress carries one header route at a time");
      }
      rebuild(ctx, rewriter, stableName, existing, header);
    }
  }

  @Override
  public void setMirrorRoute(RouterContext ctx, SetMirrorRoute route) {
    if (!StringMatches.removes(route)) {
      throw TrafficRoutingException.unsupported("setMirrorRoute \"" + route.name()
          + "\": NGINX Ingress cannot mirror traffic to the canary");
    }
  }

  @Override
  public void removeManagedRoutes(RouterContext ctx) {
    CanaryIngressRewriter rewriter = rewriter(ctx);
    for (String stableName : stableIngresses(ctx)) {
      Ingress existing = existingCanary(ctx, stableName);
      if (existing != null) {
        rebuild(ctx, rewriter, stableName, existing, null);
      }
    }
  }

  @Override
  public Optional<Integer> currentWeight(RouterContext ctx) {
    CanaryIngressRewriter rewriter = rewriter(ctx);
    List<Optional<Integer>> weights = new ArrayList<>();
    for (String stableName : stableIngresses(ctx)) {
      weights.add(rewriter.canaryWeight(existingCanary(ctx, stableName), ctx.maxTrafficWeight()));
    }
    return WeightSplit.agreed(weights);
  }

  /** Re-derives the canary Ingress at its current weight with a different header route. */
  private void rebuild(RouterContext ctx, CanaryIngressRewriter rewriter, String stableName, Ingress existing,
      HeaderRoute header) {
    WeightSplit split = ctx.split(Math.min(rewriter.weightIn(existing), ctx.maxTrafficWeight()));
    Ingress stable = requireStable(ctx, stableName);
    store(ctx, existing, rewriter.canaryIngress(stable, existing, ctx.rolloutName(), ctx.requireOwner(name()), split, header));
  }

  private void store(RouterContext ctx, Ingress existing, Ingress desired) {
    String what = "Ingress " + desired.getMetadata().getName();
    Resource<Ingress> resource = client.network().v1().ingresses().inNamespace(ctx.namespace()).resource(desired);
    if (existing == null) {
      ApiErrors.call("create", what, ctx.namespace(), resource::create);
    } else if (!JsonTrees.toTree(existing.getSpec()).equals(JsonTrees.toTree(desired.getSpec()))
        || !JsonTrees.toTree(existing.getMetadata()).equals(JsonTrees.toTree(desired.getMetadata()))) {
      ApiErrors.call("update", what, ctx.namespace(), resource::update);
    }
  }

  private Ingress requireStable(RouterContext ctx, String name) {
    Ingress stable = ApiErrors.call("read", "Ingress " + name, ctx.namespace(),
        () -> client.network().v1().ingresses().inNamespace(ctx.namespace()).withName(name).get());
    if (stable == null) {
      throw TrafficRoutingException.notFound("Ingress " + name + " (" + SPEC_FIELD + ") not found in namespace " + ctx.namespace());
    }
    return stable;
  }

  /** The canary Ingress for a stable Ingress, null when there is none yet; someone else's is an error. */
  private Ingress existingCanary(RouterContext ctx, String stableName) {
    String name = CanaryIngressRewriter.canaryIngressName(stableName, ctx.rolloutName());
    Ingress canary = ApiErrors.call("read", "Ingress " + name, ctx.namespace(),
        () -> client.network().v1().ingresses().inNamespace(ctx.namespace()).withName(name).get());
    if (canary != null && !Ownership.controlledBy(canary, ctx.requireOwner(name()))) {
      throw TrafficRoutingException.notOwned("Ingress", name, ctx.rolloutName());
    }
    return canary;
  }

  private static CanaryIngressRewriter rewriter(RouterContext ctx) {
    return new CanaryIngressRewriter(spec(ctx), ctx.requireCanaryService("NGINX Ingress"),
        ctx.requireStableService("NGINX Ingress"));
  }

  private static Nginx spec(RouterContext ctx) {
    return ctx.routing().nginx();
  }

  private static List<String> stableIngresses(RouterContext ctx) {
    List<String> names = new ArrayList<>();
    if (spec(ctx).stableIngress() != null && !spec(ctx).stableIngress().isBlank()) {
      names.add(spec(ctx).stableIngress());
    }
    if (spec(ctx).stableIngresses() != null) {
      spec(ctx).stableIngresses().stream().filter(n -> n != null && !n.isBlank() && !names.contains(n)).forEach(names::add);
    }
    if (names.isEmpty()) {
      throw TrafficRoutingException.invalidSpec("trafficRouting.nginx needs stableIngress or stableIngresses");
    }
    return names;
  }
}
