package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.TrafficRouting;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Picks the router(s) a Rollout's trafficRouting asks for. */
public final class TrafficRouters {
  private TrafficRouters() {}

  /** The router for a Rollout; empty when it has no canary trafficRouting (weight = share of replicas). */
  public static Optional<TrafficRouter> forRollout(KubernetesClient client, Rollout rollout) {
    CanaryStrategy canary = rollout.getSpec() == null || rollout.getSpec().strategy() == null
        ? null : rollout.getSpec().strategy().canary();
    return canary == null ? Optional.empty() : forRouting(client, canary.trafficRouting());
  }

  /**
   * The router for a trafficRouting spec: one per configured mesh or ingress, combined and driven
   * in the order NGINX, Istio, SMI, Gateway API when several are set; empty when none is.
   */
  public static Optional<TrafficRouter> forRouting(KubernetesClient client, TrafficRouting routing) {
    if (routing == null) {
      return Optional.empty();
    }
    List<TrafficRouter> routers = new ArrayList<>();
    if (routing.nginx() != null) {
      routers.add(new NginxRouter(client));
    }
    if (routing.istio() != null) {
      routers.add(new IstioRouter(client));
    }
    if (routing.smi() != null) {
      routers.add(new SmiRouter(client));
    }
    if (routing.gatewayAPI() != null) {
      routers.add(new GatewayApiRouter(client));
    }
    if (routers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(routers.size() == 1 ? routers.get(0) : new CompositeTrafficRouter(routers));
  }
}
