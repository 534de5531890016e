package dev.sluice.traffic;

import static dev.sluice.traffic.Fixtures.at;
import static dev.sluice.traffic.Fixtures.exact;
import static dev.sluice.traffic.Fixtures.headerRoute;
import static dev.sluice.traffic.Fixtures.mirrorRoute;
import static dev.sluice.traffic.Fixtures.parse;
import static dev.sluice.traffic.Fixtures.prefix;
import static dev.sluice.traffic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.v1alpha1.TrafficRouting.TcpRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.TlsRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.VirtualService;
import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtualServiceRewriterTest {
  private static final List<String> MANAGED = List.of("header-beta", "mirror-checkout");
  private static final IstioDestinations BY_HOST = IstioDestinations.byHost("demo-canary", "demo-stable", "shop");

  private static final String VIRTUAL_SERVICE = """
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata:
        name: demo-vs
        namespace: shop
        annotations: {owner: payments}
      spec:
        hosts: [demo.example.com]
        gateways: [demo-gateway]
        http:
        - name: primary
          match: [{uri: {prefix: /api}}]
          timeout: 5s
          route:
          - destination: {host: demo-stable, port: {number: 80}}
            weight: 100
          - destination: {host: demo-canary.shop.svc.cluster.local, port: {number: 80}}
            weight: 0
        - name: legacy
          route: [{destination: {host: legacy}}]
        tls:
        - match: [{port: 443, sniHosts: [demo.example.com]}]
          route:
          - {destination: {host: demo-stable}, weight: 100}
          - {destination: {host: demo-canary}, weight: 0}
        tcp:
        - match: [{port: 5432}]
          route:
          - {destination: {host: demo-stable}, weight: 100}
          - {destination: {host: demo-canary}, weight: 0}
      """;

  private static GenericKubernetesResource vs() {
    return parse(VIRTUAL_SERVICE, GenericKubernetesResource.class);
  }

  private static VirtualServiceRewriter rewriter(List<String> routes) {
    return new VirtualServiceRewriter(BY_HOST, new VirtualService("demo-vs", routes, null, null), MANAGED);
  }

  private static final VirtualServiceRewriter PRIMARY = rewriter(List.of("primary"));

  @ParameterizedTest
  @CsvSource({"0, 100", "10, 90", "50, 50", "100, 0"})
  void weightGoesToTheCanaryHostAndTheRestToTheStable(int canary, int stable) {
    GenericKubernetesResource out = PRIMARY.withWeight(vs(), WeightSplit.of(canary, 100));

    assertThat(at(out, "/spec/http/0/route/0/weight").asInt()).isEqualTo(stable);
    assertThat(at(out, "/spec/http/0/route/1/weight").asInt()).isEqualTo(canary);
    assertThat(PRIMARY.canaryWeight(out, 100)).contains(canary);
  }

  @Test
  void onlyTheDestinationWeightsOfTheNamedRouteChange() {
    GenericKubernetesResource out = PRIMARY.withWeight(vs(), WeightSplit.of(20, 100));

    JsonNode expected = tree(vs());
    ((ObjectNode) expected.at("/spec/http/0/route/0")).put("weight", 80);
    ((ObjectNode) expected.at("/spec/http/0/route/1")).put("weight", 20);
    assertThat(tree(out)).isEqualTo(expected);
  }

  @Test
  void tlsAndTcpRoutesAreFoundByTheirMatch() {
    VirtualServiceRewriter all = new VirtualServiceRewriter(BY_HOST, new VirtualService("demo-vs", List.of("primary"),
        List.of(new TlsRoute(443, List.of("demo.example.com"))), List.of(new TcpRoute(5432))), MANAGED);

    GenericKubernetesResource out = all.withWeight(vs(), WeightSplit.of(300, 1000));

    for (String route : List.of("/spec/http/0", "/spec/tls/0", "/spec/tcp/0")) {
      assertThat(at(out, route + "/route/0/weight").asInt()).as(route).isEqualTo(700);
      assertThat(at(out, route + "/route/1/weight").asInt()).as(route).isEqualTo(300);
    }
    assertThat(all.canaryWeight(out, 1000)).contains(300);
  }

  @Test
  void routesThatDisagreeReportNoSingleWeight() {
    VirtualServiceRewriter httpAndTcp = new VirtualServiceRewriter(BY_HOST,
        new VirtualService("demo-vs", List.of("primary"), null, List.of(new TcpRoute(5432))), MANAGED);
    GenericKubernetesResource onlyHttpMoved = PRIMARY.withWeight(vs(), WeightSplit.of(30, 100));

    assertThat(httpAndTcp.canaryWeight(onlyHttpMoved, 100)).isEmpty();
  }

  @Test
  void aSingleHttpRouteNeedsNoName() {
    GenericKubernetesResource single = parse(VIRTUAL_SERVICE.replace("  - name: legacy\n    route: [{destination: {host: legacy}}]\n", ""), GenericKubernetesResource.class);

    GenericKubernetesResource out = rewriter(null).withWeight(single, WeightSplit.of(40, 100));

    assertThat(at(out, "/spec/http/0/route/1/weight").asInt()).isEqualTo(40);
  }

  @Test
  void severalHttpRoutesWithoutNamesInTheSpecAreAnError() {
    assertThatThrownBy(() -> rewriter(null).withWeight(vs(), WeightSplit.of(40, 100)))
        .hasMessage("VirtualService demo-vs has 2 http routes: name the ones to split in trafficRouting.istio.virtualService.routes");
  }

  @Test
  void subsetLevelSplitWeighsTheSubsets() {
    GenericKubernetesResource subsets = parse("""
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: demo-vs, namespace: shop}
        spec:
          hosts: [demo]
          http:
          - name: primary
            route:
            - {destination: {host: demo, subset: stable}, weight: 100}
            - {destination: {host: demo, subset: canary}, weight: 0}
        """, GenericKubernetesResource.class);
    VirtualServiceRewriter bySubset = new VirtualServiceRewriter(IstioDestinations.bySubset("canary", "stable"),
        new VirtualService("demo-vs", List.of("primary"), null, null), MANAGED);

    GenericKubernetesResource out = bySubset.withWeight(subsets, WeightSplit.of(25, 100));

    assertThat(at(out, "/spec/http/0/route/0/weight").asInt()).isEqualTo(75);
    assertThat(at(out, "/spec/http/0/route/1/weight").asInt()).isEqualTo(25);
  }

  @Test
  void aMissingNamedRouteIsNotFound() {
    assertThatThrownBy(() -> rewriter(List.of("primary", "checkout")).withWeight(vs(), WeightSplit.of(10, 100)))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessage("VirtualService demo-vs: no http route named \"checkout\"");
  }

  @Test
  void aMissingTlsOrTcpRouteIsNotFound() {
    assertThatThrownBy(() -> new VirtualServiceRewriter(BY_HOST, new VirtualService("demo-vs", null,
        List.of(new TlsRoute(8443, null)), null), MANAGED).withWeight(vs(), WeightSplit.of(10, 100)))
        .hasMessage("VirtualService demo-vs: no tls route matching port 8443");
    assertThatThrownBy(() -> new VirtualServiceRewriter(BY_HOST, new VirtualService("demo-vs", null,
        null, List.of(new TcpRoute(6379))), MANAGED).withWeight(vs(), WeightSplit.of(10, 100)))
        .hasMessage("VirtualService demo-vs: no tcp route matching port 6379");
  }

  @Test
  void aRouteWithoutTheCanaryDestinationIsMalformed() {
    assertThatThrownBy(() -> rewriter(List.of("legacy")).withWeight(vs(), WeightSplit.of(10, 100)))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("VirtualService demo-vs: http route \"legacy\" has no destination with host demo-canary");
  }

  @Test
  void aHostOfAnotherNamespaceIsNotTheCanary() {
    GenericKubernetesResource elsewhere = parse(VIRTUAL_SERVICE.replace("demo-canary.shop.svc.cluster.local",
        "demo-canary.other.svc.cluster.local"), GenericKubernetesResource.class);

    assertThatThrownBy(() -> PRIMARY.withWeight(elsewhere, WeightSplit.of(10, 100)))
        .hasMessageContaining("has no destination with host demo-canary");
  }

  @Test
  void headerRouteComesFirstAndSendsMatchingRequestsToTheCanary() {
    GenericKubernetesResource out = PRIMARY.withHeaderRoute(vs(), headerRoute("header-beta", "x-beta", exact("yes")));

    assertThat(at(out, "/spec/http/0")).isEqualTo(tree(parse("""
        name: header-beta
        match:
        - uri: {prefix: /api}
          headers: {x-beta: {exact: "yes"}}
        timeout: 5s
        route:
        - destination: {host: demo-canary.shop.svc.cluster.local, port: {number: 80}}
        """, Map.class)));
    assertThat(at(out, "/spec/http/1")).isEqualTo(at(vs(), "/spec/http/0"));
    assertThat(at(out, "/spec/http/2")).isEqualTo(at(vs(), "/spec/http/1"));
    assertThat(at(out, "/spec/tls")).isEqualTo(at(vs(), "/spec/tls"));
  }

  @Test
  void mirrorRouteMirrorsToTheCanaryAndKeepsTheWeightedDestinations() {
    GenericKubernetesResource weighted = PRIMARY.withWeight(vs(), WeightSplit.of(10, 100));

    GenericKubernetesResource out = PRIMARY.withMirrorRoute(weighted,
        mirrorRoute("mirror-checkout", 30, exact("POST"), prefix("/api/checkout"), Map.of("x-shop", exact("eu"))));

    assertThat(at(out, "/spec/http/0")).isEqualTo(tree(parse("""
        name: mirror-checkout
        match:
        - uri: {prefix: /api/checkout}
          method: {exact: POST}
          headers: {x-shop: {exact: eu}}
        timeout: 5s
        route:
        - destination: {host: demo-stable, port: {number: 80}}
          weight: 90
        - destination: {host: demo-canary.shop.svc.cluster.local, port: {number: 80}}
          weight: 10
        mirror: {host: demo-canary.shop.svc.cluster.local, port: {number: 80}}
        mirrorPercentage: {value: 30}
        """, Map.class)));
  }

  @Test
  void weightChangesReachTheMirrorRouteButNotTheHeaderRoute() {
    GenericKubernetesResource out = PRIMARY.withHeaderRoute(vs(), headerRoute("header-beta", "x-beta", exact("yes")));
    out = PRIMARY.withMirrorRoute(out, mirrorRoute("mirror-checkout", 30, null, prefix("/api/checkout"), null));

    out = PRIMARY.withWeight(out, WeightSplit.of(60, 100));

    assertThat(at(out, "/spec/http/0/name").asText()).isEqualTo("header-beta");
    assertThat(at(out, "/spec/http/0/route").size()).isEqualTo(1);
    assertThat(at(out, "/spec/http/1/name").asText()).isEqualTo("mirror-checkout");
    assertThat(at(out, "/spec/http/1/route/1/weight").asInt()).isEqualTo(60);
    assertThat(at(out, "/spec/http/2/route/1/weight").asInt()).isEqualTo(60);
    assertThat(PRIMARY.canaryWeight(out, 100)).contains(60);
  }

  @Test
  void managedRoutesFollowManagedRoutesOrderWhateverTheOrderTheyWereSet() {
    GenericKubernetesResource out = PRIMARY.withMirrorRoute(vs(), mirrorRoute("mirror-checkout", 30, null, prefix("/api"), null));
    out = PRIMARY.withHeaderRoute(out, headerRoute("header-beta", "x-beta", exact("yes")));

    assertThat(at(out, "/spec/http/0/name").asText()).isEqualTo("header-beta");
    assertThat(at(out, "/spec/http/1/name").asText()).isEqualTo("mirror-checkout");
    assertThat(at(out, "/spec/http/2/name").asText()).isEqualTo("primary");
  }

  @Test
  void rewritingTwiceIsRewritingOnce() {
    GenericKubernetesResource once = PRIMARY.withWeight(vs(), WeightSplit.of(10, 100));
    once = PRIMARY.withHeaderRoute(once, headerRoute("header-beta", "x-beta", exact("yes")));
    once = PRIMARY.withMirrorRoute(once, mirrorRoute("mirror-checkout", 30, null, prefix("/api"), null));

    GenericKubernetesResource twice = PRIMARY.withWeight(once, WeightSplit.of(10, 100));
    twice = PRIMARY.withHeaderRoute(twice, headerRoute("header-beta", "x-beta", exact("yes")));
    twice = PRIMARY.withMirrorRoute(twice, mirrorRoute("mirror-checkout", 30, null, prefix("/api"), null));

    assertThat(tree(twice)).isEqualTo(tree(once));
  }

  @Test
  void removingManagedRoutesLeavesTheUsersRoutes() {
    GenericKubernetesResource weighted = PRIMARY.withWeight(vs(), WeightSplit.of(30, 100));
    GenericKubernetesResource out = PRIMARY.withHeaderRoute(weighted, headerRoute("header-beta", "x-beta", exact("yes")));
    out = PRIMARY.withMirrorRoute(out, mirrorRoute("mirror-checkout", 30, null, prefix("/api"), null));

    assertThat(tree(PRIMARY.withoutManagedRoutes(out))).isEqualTo(tree(weighted));
    assertThat(tree(PRIMARY.withHeaderRoute(out, Fixtures.removeHeaderRoute("header-beta"))).at("/spec/http").size()).isEqualTo(3);
  }

  @Test
  void headerRoutesNeedAnHttpRoute() {
    VirtualServiceRewriter tcpOnly = new VirtualServiceRewriter(BY_HOST,
        new VirtualService("demo-vs", null, null, List.of(new TcpRoute(5432))), MANAGED);

    assertThatThrownBy(() -> tcpOnly.withHeaderRoute(vs(), headerRoute("header-beta", "x-beta", exact("yes"))))
        .isInstanceOfSatisfying(TrafficRoutingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
        .hasMessageContaining("has no http route to split");
  }
}
