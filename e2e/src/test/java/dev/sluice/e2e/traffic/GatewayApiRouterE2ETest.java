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
import dev.sluice.api.v1alpha1.TrafficRouting.GatewayApi;
import dev.sluice.api.v1alpha1.TrafficRouting.ManagedRoute;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.traffic.RouterContext;
import dev.sluice.traffic.TrafficRouter;
import dev.sluice.traffic.TrafficRouters;
import dev.sluice.traffic.TrafficRoutingException;
import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Gateway API router on HTTPRoutes stored in the real API server. */
@RealCluster
class GatewayApiRouterE2ETest {
  private static final String API_VERSION = "gateway.networking.k8s.io/v1";

  private static final String ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: %s
        annotations: {team: payments}
      spec:
        parentRefs: [{name: public-gateway}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /api}}]
          backendRefs:
          - {name: demo-stable, port: 80, weight: 100}
          - {name: demo-canary, port: 80, weight: 0}
        - name: admin
          matches: [{path: {type: PathPrefix, value: /admin}}]
          backendRefs: [{name: admin, port: 8080}]
      """;

  @BeforeAll
  static void routingCrds(KubernetesClient k8s) {
    RoutingCrds.install(k8s);
  }

  private static RouterContext ctx(TestNamespace ns, String route) {
    TrafficRouting routing = new TrafficRouting(null, null, null, new GatewayApi(route, null, null),
        List.of(new ManagedRoute("mirror-checkout"), new ManagedRoute("header-beta")), null);
    return new RouterContext(ns.name(), "demo", "demo-canary", "demo-stable", "c4n4ry", "st4bl3", routing, null);
  }

  private static TrafficRouter router(KubernetesClient k8s, RouterContext ctx) {
    return TrafficRouters.forRouting(k8s, ctx.routing()).orElseThrow();
  }

  @Test
  void weightMovesBetweenTheBackendsAndTheUsersRuleAndAnnotationStay(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(ROUTE.formatted("weights"));
    JsonNode userRule = stored.tree(API_VERSION, "HTTPRoute", "weights").at("/spec/rules/1");
    RouterContext ctx = ctx(ns, "weights");
    TrafficRouter router = router(k8s, ctx);

    for (int weight : new int[] {10, 50, 100, 0}) {
      router.setWeight(ctx, weight);

      JsonNode route = stored.tree(API_VERSION, "HTTPRoute", "weights");
      assertThat(route.at("/spec/rules/0/backendRefs/0/weight").asInt()).as("stable at %d", weight).isEqualTo(100 - weight);
      assertThat(route.at("/spec/rules/0/backendRefs/1/weight").asInt()).as("canary at %d", weight).isEqualTo(weight);
      assertThat(route.at("/spec/rules/1")).isEqualTo(userRule);
      assertThat(route.at("/metadata/annotations/team").asText()).isEqualTo("payments");
      assertThat(router.currentWeight(ctx)).contains(weight);
    }
  }

  @Test
  void settingTheSameWeightAgainWritesNothing(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(ROUTE.formatted("same-weight"));
    RouterContext ctx = ctx(ns, "same-weight");
    TrafficRouter router = router(k8s, ctx);

    router.setWeight(ctx, 30);
    String version = stored.get(API_VERSION, "HTTPRoute", "same-weight").getMetadata().getResourceVersion();
    router.setWeight(ctx, 30);

    assertThat(stored.get(API_VERSION, "HTTPRoute", "same-weight").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void whatTheUserChangesDuringTheRolloutSurvives(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(ROUTE.formatted("user-edits"));
    RouterContext ctx = ctx(ns, "user-edits");
    TrafficRouter router = router(k8s, ctx);
    router.setWeight(ctx, 10);

    k8s.genericKubernetesResources(API_VERSION, "HTTPRoute").inNamespace(ns.name()).withName("user-edits")
        .patch(PatchContext.of(PatchType.JSON), """
            [{"op": "add", "path": "/metadata/annotations/reviewed-by", "value": "alice"},
             {"op": "add", "path": "/spec/rules/-", "value": {"name": "docs", "backendRefs": [{"name": "docs", "port": 80}]}}]
            """);
    router.setWeight(ctx, 50);
    router.setHeaderRoute(ctx, new SetHeaderRoute("header-beta", List.of(new HeaderMatch("X-Beta", exact("yes")))));
    router.removeManagedRoutes(ctx);

    JsonNode route = stored.tree(API_VERSION, "HTTPRoute", "user-edits");
    assertThat(route.at("/metadata/annotations/reviewed-by").asText()).isEqualTo("alice");
    assertThat(route.at("/spec/rules/2/name").asText()).isEqualTo("docs");
    assertThat(route.at("/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(50);
  }

  @Test
  void headerAndMirrorRoutesAreAddedInManagedRoutesOrderAndRemovedAtTheEnd(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(ROUTE.formatted("managed"));
    RouterContext ctx = ctx(ns, "managed");
    TrafficRouter router = router(k8s, ctx);
    router.setWeight(ctx, 20);
    JsonNode weighted = stored.tree(API_VERSION, "HTTPRoute", "managed").at("/spec");

    router.setHeaderRoute(ctx, new SetHeaderRoute("header-beta", List.of(new HeaderMatch("X-Beta", exact("yes")))));
    JsonNode withHeader = stored.tree(API_VERSION, "HTTPRoute", "managed");
    assertThat(withHeader.at("/spec/rules/0/name").asText()).isEqualTo("sluice-header-beta");
    assertThat(withHeader.at("/spec/rules/0/matches/0")).isEqualTo(StoredObjects.yaml("""
        path: {type: PathPrefix, value: /api}
        headers: [{name: X-Beta, type: Exact, value: "yes"}]
        """));
    assertThat(withHeader.at("/spec/rules/0/backendRefs")).isEqualTo(StoredObjects.yaml("[{name: demo-canary, port: 80}]"));

    router.setMirrorRoute(ctx, new SetMirrorRoute("mirror-checkout", 25,
        List.of(new RouteMatch(exact("POST"), new StringMatch(null, "/api/checkout", null), null))));
    JsonNode withMirror = stored.tree(API_VERSION, "HTTPRoute", "managed");
    assertThat(withMirror.at("/spec/rules/0/name").asText()).isEqualTo("sluice-mirror-checkout");
    assertThat(withMirror.at("/spec/rules/0/filters/0")).isEqualTo(StoredObjects.yaml("""
        type: RequestMirror
        requestMirror: {backendRef: {name: demo-canary, port: 80}, percent: 25}
        """));
    assertThat(withMirror.at("/spec/rules/1/name").asText()).isEqualTo("sluice-header-beta");
    assertThat(withMirror.at("/spec/rules/3/name").asText()).isEqualTo("admin");

    router.setWeight(ctx, 40);
    assertThat(stored.tree(API_VERSION, "HTTPRoute", "managed").at("/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(40);

    router.removeManagedRoutes(ctx);
    JsonNode end = stored.tree(API_VERSION, "HTTPRoute", "managed");
    assertThat(end.at("/spec/rules")).hasSize(2);
    assertThat(end.at("/spec/rules/1")).isEqualTo(weighted.at("/rules/1"));
    assertThat(end.at("/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(40);
    assertThat(end.at("/metadata/annotations/team").asText()).isEqualTo("payments");
  }

  @Test
  void aMissingRouteIsReportedByNameAndNothingIsCreated(KubernetesClient k8s, TestNamespace ns) {
    RouterContext ctx = ctx(ns, "absent");

    assertThatThrownBy(() -> router(k8s, ctx).setWeight(ctx, 10))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessage("HTTPRoute absent (trafficRouting.gatewayAPI) not found in namespace " + ns.name());
    assertThat(new StoredObjects(k8s, ns.name()).get(API_VERSION, "HTTPRoute", "absent")).isNull();
  }

  @Test
  void aRouteWithoutTheCanaryBackendIsLeftAsItIs(KubernetesClient k8s, TestNamespace ns) {
    StoredObjects stored = new StoredObjects(k8s, ns.name());
    stored.create(ROUTE.formatted("no-canary").replace("name: demo-canary", "name: someone-else"));
    String version = stored.get(API_VERSION, "HTTPRoute", "no-canary").getMetadata().getResourceVersion();
    RouterContext ctx = ctx(ns, "no-canary");

    assertThatThrownBy(() -> router(k8s, ctx).setWeight(ctx, 10))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("HTTPRoute no-canary: no backendRef to Service demo-canary in spec.rules");
    assertThat(stored.get(API_VERSION, "HTTPRoute", "no-canary").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  private static StringMatch exact(String value) {
    return new StringMatch(value, null, null);
  }
}
