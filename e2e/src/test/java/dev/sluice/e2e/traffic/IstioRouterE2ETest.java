package dev.sluice.e2e.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.RouteMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.api.v1alpha1.TrafficRouting.DestinationRule;
import dev.sluice.api.v1alpha1.TrafficRouting.Istio;
import dev.sluice.api.v1alpha1.TrafficRouting.ManagedRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.VirtualService;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.traffic.RouterContext;
import dev.sluice.traffic.TrafficRouter;
import dev.sluice.traffic.TrafficRouters;
import dev.sluice.traffic.TrafficRoutingException;
import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Istio router on VirtualServices and DestinationRules stored in the real API server. */
@RealCluster
class IstioRouterE2ETest {
  private static final String API_VERSION = "networking.istio.io/v1beta1";

  private static final String HOST_LEVEL = """
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata:
        name: %s
        annotations: {team: payments}
      spec:
        hosts: [demo.example.com]
        http:
        - name: primary
          match: [{uri: {prefix: /}}]
          route:
          - {destination: {host: demo-stable, port: {number: 80}}, weight: 100}
          - {destination: {host: demo-canary, port: {number: 80}}, weight: 0}
        - name: legacy
          route: [{destination: {host: legacy}}]
      """;

  @BeforeAll
  static void routingCrds(KubernetesClient k8s) {
    RoutingCrds.install(k8s);
  }

  private static RouterContext ctx(TestNamespace ns, Istio istio) {
    TrafficRouting routing = new TrafficRouting(null, istio, null, null,
        List.of(new ManagedRoute("header-beta"), new ManagedRoute("mirror-checkout")), null);
    return new RouterContext(ns.name(), "demo", "demo-canary", "demo-stable", "c4n4ry", "st4bl3", routing, null);
  }

  private static Istio hostLevel(String virtualService) {
    return new Istio(new VirtualService(virtualService, List.of("primary"), null, null), null, null);
  }

  private static TrafficRouter router(KubernetesClient k8s, RouterContext ctx) {
    return TrafficRouters.forRouting(k8s, ctx.routing()).orElseThrow();
  }

  @Test
  void hostLevelWeightsMoveAndTheUsersRouteAndAnnotationStay(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(HOST_LEVEL.formatted("weights"));
    JsonNode legacy = stored.tree(API_VERSION, "VirtualService", "weights").at("/spec/http/1");
    RouterContext ctx = ctx(ns, hostLevel("weights"));
    TrafficRouter router = router(k8s, ctx);

    for (int weight : new int[] {10, 50, 100, 0}) {
      router.setWeight(ctx, weight);

      JsonNode vs = stored.tree(API_VERSION, "VirtualService", "weights");
      assertThat(vs.at("/spec/http/0/route/0/weight").asInt()).as("stable at %d", weight).isEqualTo(100 - weight);
      assertThat(vs.at("/spec/http/0/route/1/weight").asInt()).as("canary at %d", weight).isEqualTo(weight);
      assertThat(vs.at("/spec/http/1")).isEqualTo(legacy);
      assertThat(vs.at("/metadata/annotations/team").asText()).isEqualTo("payments");
      assertThat(router.currentWeight(ctx)).contains(weight);
    }
  }

  @Test
  void headerAndMirrorRoutesGoFirstAndAreRemovedAtTheEnd(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(HOST_LEVEL.formatted("managed"));
    RouterContext ctx = ctx(ns, hostLevel("managed"));
    TrafficRouter router = router(k8s, ctx);
    router.setWeight(ctx, 20);
    JsonNode weighted = stored.tree(API_VERSION, "VirtualService", "managed").at("/spec");

    router.setMirrorRoute(ctx, new SetMirrorRoute("mirror-checkout", 40,
        List.of(new RouteMatch(exact("POST"), new StringMatch(null, "/checkout", null), null))));
    router.setHeaderRoute(ctx, new SetHeaderRoute("header-beta", List.of(new HeaderMatch("x-beta", exact("yes")))));

    JsonNode vs = stored.tree(API_VERSION, "VirtualService", "managed");
    assertThat(vs.at("/spec/http")).hasSize(4);
    assertThat(vs.at("/spec/http/0")).isEqualTo(StoredObjects.yaml("""
        name: header-beta
        match: [{uri: {prefix: /}, headers: {x-beta: {exact: "yes"}}}]
        route: [{destination: {host: demo-canary, port: {number: 80}}}]
        """));
    assertThat(vs.at("/spec/http/1/name").asText()).isEqualTo("mirror-checkout");
    assertThat(vs.at("/spec/http/1/match")).isEqualTo(StoredObjects.yaml("[{uri: {prefix: /checkout}, method: {exact: POST}}]"));
    assertThat(vs.at("/spec/http/1/mirror")).isEqualTo(StoredObjects.yaml("{host: demo-canary, port: {number: 80}}"));
    assertThat(vs.at("/spec/http/1/mirrorPercentage/value").asDouble()).isEqualTo(40.0);
    assertThat(vs.at("/spec/http/1/route/1/weight").asInt()).isEqualTo(20);
    assertThat(vs.at("/spec/http/3")).isEqualTo(weighted.at("/http/1"));

    String version = stored.get(API_VERSION, "VirtualService", "managed").getMetadata().getResourceVersion();
    router.setMirrorRoute(ctx, new SetMirrorRoute("mirror-checkout", 40,
        List.of(new RouteMatch(exact("POST"), new StringMatch(null, "/checkout", null), null))));
    router.setHeaderRoute(ctx, new SetHeaderRoute("header-beta", List.of(new HeaderMatch("x-beta", exact("yes")))));
    router.setWeight(ctx, 20);
    assertThat(stored.get(API_VERSION, "VirtualService", "managed").getMetadata().getResourceVersion())
        .as("repeating the same steps writes nothing").isEqualTo(version);

    router.removeManagedRoutes(ctx);

    assertThat(stored.tree(API_VERSION, "VirtualService", "managed").at("/spec")).isEqualTo(weighted);
  }

  @Test
  void subsetLevelPinsTheDestinationRuleSubsetsToTheHashes(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: demo-dr}
        spec:
          host: demo
          trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
          subsets:
          - {name: canary, labels: {app: demo}}
          - {name: stable, labels: {app: demo}}
        """);
    stored.create("""
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: subsets}
        spec:
          hosts: [demo]
          http:
          - name: primary
            route:
            - {destination: {host: demo, subset: stable}, weight: 100}
            - {destination: {host: demo, subset: canary}, weight: 0}
        """);
    RouterContext ctx = ctx(ns, new Istio(new VirtualService("subsets", List.of("primary"), null, null), null,
        new DestinationRule("demo-dr", "canary", "stable")));

    router(k8s, ctx).setWeight(ctx, 30);

    JsonNode dr = stored.tree(API_VERSION, "DestinationRule", "demo-dr");
    assertThat(dr.at("/spec/subsets")).isEqualTo(StoredObjects.yaml("""
        - {name: canary, labels: {app: demo, sluice.dev/pod-template-hash: c4n4ry}}
        - {name: stable, labels: {app: demo, sluice.dev/pod-template-hash: st4bl3}}
        """));
    assertThat(dr.at("/spec/trafficPolicy/loadBalancer/simple").asText()).isEqualTo("ROUND_ROBIN");
    JsonNode vs = stored.tree(API_VERSION, "VirtualService", "subsets");
    assertThat(vs.at("/spec/http/0/route/0/weight").asInt()).isEqualTo(70);
    assertThat(vs.at("/spec/http/0/route/1/weight").asInt()).isEqualTo(30);
  }

  @Test
  void aMissingNamedRouteIsReportedAndTheVirtualServiceIsLeftAsItIs(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(HOST_LEVEL.formatted("no-such-route"));
    String version = stored.get(API_VERSION, "VirtualService", "no-such-route").getMetadata().getResourceVersion();
    RouterContext ctx = ctx(ns, new Istio(new VirtualService("no-such-route", List.of("checkout"), null, null), null, null));

    assertThatThrownBy(() -> router(k8s, ctx).setWeight(ctx, 10))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessage("VirtualService no-such-route: no http route named \"checkout\"");
    assertThat(stored.get(API_VERSION, "VirtualService", "no-such-route").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aMissingVirtualServiceIsReportedByName(KubernetesClient k8s, TestNamespace ns) {
    RouterContext ctx = ctx(ns, hostLevel("absent"));

    assertThatThrownBy(() -> router(k8s, ctx).setWeight(ctx, 10))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessage("VirtualService absent (trafficRouting.istio.virtualService) not found in namespace " + ns.name());
  }

  private static StringMatch exact(String value) {
    return new StringMatch(value, null, null);
  }
}
