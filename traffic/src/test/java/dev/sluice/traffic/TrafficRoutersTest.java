package dev.sluice.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.api.v1alpha1.TrafficRouting.GatewayApi;
import dev.sluice.api.v1alpha1.TrafficRouting.Istio;
import dev.sluice.api.v1alpha1.TrafficRouting.Nginx;
import dev.sluice.api.v1alpha1.TrafficRouting.Smi;
import org.junit.jupiter.api.Test;

/** The factory only picks classes; the client is not used until a router is driven. */
class TrafficRoutersTest {

  @Test
  void noRoutingMeansNoRouter() {
    assertThat(TrafficRouters.forRouting(null, null)).isEmpty();
    assertThat(TrafficRouters.forRouting(null, new TrafficRouting(null, null, null, null, null, 100))).isEmpty();
  }

  @Test
  void oneRouterPerConfiguredMesh() {
    assertThat(TrafficRouters.forRouting(null, routing(null, null, null, new GatewayApi("demo", null, null))))
        .get().isInstanceOf(GatewayApiRouter.class);
    assertThat(TrafficRouters.forRouting(null, routing(null, new Istio(null, null, null), null, null)))
        .get().isInstanceOf(IstioRouter.class);
    assertThat(TrafficRouters.forRouting(null, routing(new Nginx("demo", null, null, null, null), null, null, null)))
        .get().isInstanceOf(NginxRouter.class);
    assertThat(TrafficRouters.forRouting(null, routing(null, null, new Smi(null, null), null)))
        .get().isInstanceOf(SmiRouter.class);
  }

  @Test
  void severalRoutersAreDrivenTogether() {
    TrafficRouter router = TrafficRouters.forRouting(null,
        routing(new Nginx("demo", null, null, null, null), null, new Smi(null, null), null)).orElseThrow();

    assertThat(router).isInstanceOf(CompositeTrafficRouter.class);
    assertThat(router.name()).isEqualTo("NGINX Ingress + SMI");
  }

  private static TrafficRouting routing(Nginx nginx, Istio istio, Smi smi, GatewayApi gatewayApi) {
    return new TrafficRouting(nginx, istio, smi, gatewayApi, null, null);
  }
}
